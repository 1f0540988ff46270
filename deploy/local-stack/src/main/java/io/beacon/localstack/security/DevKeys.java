package io.beacon.localstack.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA key pair that signs dev tokens. The services only ever see the public half, through
 * {@code mp.jwt.verify.publickey.location}; production points that at a real issuer instead.
 */
public final class DevKeys {

    public static final String PUBLIC_KEY_FILE = "public.pem";
    public static final String PRIVATE_KEY_FILE = "private.pem";

    private final KeyPair keyPair;

    private DevKeys(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    public static DevKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new DevKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
    }

    /** Loads the pair from {@code dir}, generating and saving it on first use. */
    public static DevKeys loadOrCreate(Path dir) throws IOException {
        Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(publicFile) && Files.exists(privateFile)) {
            return load(dir);
        }
        DevKeys keys = generate();
        keys.writeTo(dir);
        return keys;
    }

    public static DevKeys load(Path dir) throws IOException {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(readPem(dir.resolve(PUBLIC_KEY_FILE))));
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(readPem(dir.resolve(PRIVATE_KEY_FILE))));
            return new DevKeys(new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException e) {
            throw new IOException("dev keys under " + dir + " are unreadable; delete them to get new ones", e);
        }
    }

    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", keyPair.getPublic().getEncoded()));
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        Files.writeString(privateFile, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
        privateFile.toFile().setReadable(false, false);
        privateFile.toFile().setReadable(true, true);
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] readPem(Path file) throws IOException {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
