package io.beacon.engine.rules.guard;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.beacon.contracts.Segment;
import io.beacon.engine.rules.model.AccountFact;
import io.beacon.engine.rules.model.AccountStats;
import io.beacon.engine.rules.model.Decisions;
import io.beacon.engine.rules.model.EvaluationTime;
import io.beacon.engine.rules.model.OpenCta;
import io.beacon.engine.rules.model.Params;

/**
 * What rule code may reach: a fixed list of types, and the method, field and property names that
 * cannot lead out of that list.
 *
 * <p>The check is by name, so it is made safe by closure: a method name is allowed only when every
 * public method of that name on every allowed type returns an allowed type (or a primitive, or a
 * type variable, or void), and likewise for fields and bean properties. Starting from the facts and
 * the {@code decisions} global, which are allowed types, rule code can therefore only ever hold
 * values of allowed types, whatever the static type of an expression is. A few names that return
 * allowed types but read the machine (system properties, the wall clock) are denied outright.
 */
final class AllowList {

    /** The rule model and the value types, collections and time types rules work with. */
    static final List<Class<?>> TYPES = List.of(
            AccountFact.class, AccountStats.class, Decisions.class, Decisions.Decision.class, Decisions.Kind.class,
            EvaluationTime.class, OpenCta.class, Params.class, Segment.class,
            Object.class, String.class, CharSequence.class, StringBuilder.class, Boolean.class, Character.class,
            Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, Number.class, Math.class,
            Comparable.class, Iterable.class,
            BigDecimal.class, BigInteger.class, RoundingMode.class,
            Instant.class, LocalDate.class, LocalDateTime.class, LocalTime.class, ZonedDateTime.class,
            OffsetDateTime.class, Duration.class, Period.class, ZoneId.class, ZoneOffset.class, DayOfWeek.class,
            Month.class, Year.class, YearMonth.class, ChronoUnit.class,
            Collection.class, List.class, ArrayList.class, Map.class, Map.Entry.class, HashMap.class,
            LinkedHashMap.class, TreeMap.class, Set.class, HashSet.class, LinkedHashSet.class, TreeSet.class,
            Iterator.class, Collections.class, Arrays.class, Objects.class, Optional.class);

    /**
     * Names that stay out even though their types are harmless: the wall clock and randomness (rules
     * read time from {@code EvaluationTime}, so replays and backtests decide the same), system
     * properties, and the monitor methods of {@code Object}.
     */
    private static final Set<String> DENIED = Set.of("now", "random", "getInteger", "getLong", "getBoolean",
            "wait", "notify", "notifyAll", "getClass", "finalize", "clone",
            "systemDefault", "systemDefaultZone");

    private static final Set<Class<?>> TYPE_SET = Set.copyOf(TYPES);
    private static final Map<String, Class<?>> BY_NAME = new HashMap<>();
    private static final Set<String> METHODS = new HashSet<>();
    private static final Set<String> PROPERTIES = new HashSet<>();

    static {
        for (Class<?> type : TYPES) {
            BY_NAME.put(type.getCanonicalName(), type);
            // Nested types are written Outer.Inner in rules.
            String simple = type.getEnclosingClass() == null ? type.getSimpleName()
                    : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
            BY_NAME.put(simple, type);
        }
        Set<String> unsafeMethods = new HashSet<>(DENIED);
        Set<String> unsafeProperties = new HashSet<>(DENIED);
        for (Class<?> type : TYPES) {
            for (Method method : type.getMethods()) {
                if (method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                boolean safe = safe(method.getGenericReturnType());
                (safe ? METHODS : unsafeMethods).add(method.getName());
                String property = property(method);
                if (property != null) {
                    (safe ? PROPERTIES : unsafeProperties).add(property);
                }
            }
            for (Field field : type.getFields()) {
                (safe(field.getGenericType()) ? PROPERTIES : unsafeProperties).add(field.getName());
            }
        }
        METHODS.removeAll(unsafeMethods);
        PROPERTIES.removeAll(unsafeProperties);
        PROPERTIES.add("length");
    }

    private final Map<String, Set<String>> declared;

    /** @param declared types declared in the DRL itself, by name, with their field names */
    AllowList(Map<String, Set<String>> declared) {
        this.declared = declared;
    }

    /** @return whether rules may name this type, written simply ({@code List}) or qualified */
    boolean type(String name) {
        return BY_NAME.containsKey(name) || declared.containsKey(name);
    }

    Class<?> resolve(String name) {
        return BY_NAME.get(name);
    }

    boolean method(String name) {
        if (METHODS.contains(name)) {
            return true;
        }
        return declared.values().stream().anyMatch(fields -> fields.stream()
                .anyMatch(f -> name.equals(accessor("get", f)) || name.equals(accessor("set", f))
                        || name.equals(accessor("is", f))));
    }

    boolean property(String name) {
        return PROPERTIES.contains(name) || declared.values().stream().anyMatch(fields -> fields.contains(name));
    }

    /** @return whether values of this type keep rule code inside the allow-list */
    static boolean safe(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                return safe(c.getComponentType());
            }
            return c.isPrimitive() || TYPE_SET.contains(c);
        }
        if (type instanceof ParameterizedType p) {
            return safe(p.getRawType()) && Arrays.stream(p.getActualTypeArguments()).allMatch(AllowList::safe);
        }
        if (type instanceof GenericArrayType g) {
            return safe(g.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            return Arrays.stream(w.getUpperBounds()).allMatch(AllowList::safe)
                    && Arrays.stream(w.getLowerBounds()).allMatch(AllowList::safe);
        }
        // A type variable holds what rules or the model put in; both are allowed types.
        return type instanceof TypeVariable<?>;
    }

    private static String property(Method method) {
        if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
            return null;
        }
        String name = method.getName();
        int prefix = name.startsWith("get") ? 3 : name.startsWith("is") ? 2 : 0;
        if (prefix == 0 || name.length() == prefix) {
            return null;
        }
        return Character.toLowerCase(name.charAt(prefix)) + name.substring(prefix + 1);
    }

    private static String accessor(String prefix, String field) {
        return prefix + Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }
}
