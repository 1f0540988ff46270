package io.beacon.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a service, as packaged, listens when nothing overrides it: its HTTP port and health paths in
 * the production profile, read from the {@code application.properties} that goes into its jar and
 * image. A manifest must send traffic and probes there, not to the port someone remembers.
 */
record PackagedService(String name, int httpPort, List<Integer> imagePorts, String healthRoot) {

    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");

    static PackagedService read(Path home, String name) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve(name).resolve("src/main/resources/application.properties"))) {
            props.load(reader);
        }
        return of(name, props);
    }

    static PackagedService of(String name, Properties props) {
        int port = Integer.parseInt(prod(props, "quarkus.http.port", "8080"));
        List<Integer> imagePorts = Arrays.stream(prod(props, "quarkus.jib.ports", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
        String nonApplication = prod(props, "quarkus.http.non-application-root-path", "q");
        String health = prod(props, "quarkus.smallrye-health.root-path", "health");
        String root = "/" + strip(nonApplication) + "/" + strip(health);
        return new PackagedService(name, port, imagePorts, root);
    }

    /** The value in the production profile: {@code %prod.key}, else {@code key}; an expression's default. */
    private static String prod(Properties props, String key, String quarkusDefault) {
        String value = props.getProperty("%prod." + key, props.getProperty(key, quarkusDefault));
        Matcher m = DEFAULTED.matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static String strip(String path) {
        return path.replaceAll("^/+|/+$", "");
    }
}
