package io.beacon.engine.rules.guard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotatedBaseDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.FunctionDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.MVELExprDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.PatternSourceDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.ast.descr.TypeFieldDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;

/**
 * The allow-list check every rule file passes before it is compiled: an ops person may write any
 * rule they like, but its code can only reach what {@link AllowList} names.
 *
 * <p>How: the DRL is parsed with Drools' own parser; each piece of code in it (conditions,
 * {@code eval}, {@code from} and accumulate expressions, consequences, functions, field
 * initialisers of declared types) is parsed again with JavaParser and every name in it resolved
 * against the variables in scope and the allow-list. DRL elements the check does not know are
 * refused rather than skipped. Java unicode escapes are refused before anything is parsed, because
 * the Java compiler turns them into characters before it reads strings and comments, so a "string"
 * could otherwise hide code from any reader but the compiler.
 */
public final class RuleCodeGuard {

    public record Violation(String file, int line, int column, String message) {
    }

    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\+u+[0-9A-Fa-f]{4}");
    private static final Pattern LITERAL = Pattern.compile("-?\\d+|\"[^\"\\\\]*\"|true|false");
    private static final Pattern ANNOTATION_VALUE = Pattern.compile("[\\w.\\s,\\-\\[\\]!*\"]*");
    private static final Set<String> ANNOTATIONS = Set.of("role", "timestamp", "duration", "expires", "key",
            "position", "propertyReactive", "classReactive", "watch");
    private static final Set<String> ATTRIBUTES = Set.of("salience", "no-loop", "lock-on-active", "agenda-group",
            "activation-group", "ruleflow-group", "auto-focus", "dialect", "date-effective", "date-expires", "enabled");
    private static final Set<String> ACCUMULATE_FUNCTIONS = Set.of("count", "sum", "average", "min", "max",
            "collectList", "collectSet");
    private static final String RULE_PACKAGE = "io.beacon.rules";
    private static final String MODEL_PACKAGE = "io.beacon.engine.rules.model";

    private RuleCodeGuard() {
    }

    /** @param files file name to DRL text, all of one ruleset */
    public static List<Violation> check(Map<String, String> files) {
        List<Violation> violations = new ArrayList<>();
        Map<String, PackageDescr> parsed = new HashMap<>();
        files.forEach((file, drl) -> {
            if (refuseUnicodeEscapes(file, drl, violations)) {
                parse(file, drl, violations).ifPresent(pkg -> parsed.put(file, pkg));
            }
        });
        // Declared types, functions and globals are shared by all files of the ruleset.
        Map<String, Set<String>> declared = new HashMap<>();
        Set<String> functions = new HashSet<>();
        Set<String> globals = new HashSet<>(Set.of("decisions"));
        parsed.values().forEach(pkg -> {
            pkg.getTypeDeclarations().forEach(t -> declared.put(t.getTypeName(), t.getFields().keySet()));
            pkg.getFunctions().forEach(f -> functions.add(f.getName()));
            pkg.getGlobals().forEach(g -> globals.add(g.getIdentifier()));
        });
        AllowList allow = new AllowList(declared);
        parsed.forEach((file, pkg) -> new FileCheck(file, files.get(file), allow, functions, globals, violations)
                .check(pkg));
        violations.sort(java.util.Comparator.comparing(Violation::file).thenComparing(Violation::line)
                .thenComparing(Violation::column));
        return violations;
    }

    /** @return whether the file is free of unicode escapes */
    private static boolean refuseUnicodeEscapes(String file, String drl, List<Violation> violations) {
        Matcher escape = UNICODE_ESCAPE.matcher(drl);
        boolean clean = true;
        while (escape.find()) {
            clean = false;
            int[] at = position(drl, escape.start());
            violations.add(new Violation(file, at[0], at[1], escape.group() + ": unicode escapes are not allowed in "
                    + "rules, not even in strings or comments (Java reads them as code); write the character itself"));
        }
        return clean;
    }

    private static java.util.Optional<PackageDescr> parse(String file, String drl, List<Violation> violations) {
        DrlParser parser = new DrlParser();
        try {
            PackageDescr pkg = parser.parse(false, drl);
            if (!parser.hasErrors() && pkg != null) {
                return java.util.Optional.of(pkg);
            }
        } catch (DroolsParserException | RuntimeException e) {
            violations.add(new Violation(file, 0, 0, "the file cannot be read as DRL: " + e.getMessage()));
            return java.util.Optional.empty();
        }
        for (DroolsError error : parser.getErrors()) {
            int line = error instanceof ParserError p ? p.getRow() : 0;
            int column = error instanceof ParserError p ? p.getCol() + 1 : 0;
            violations.add(new Violation(file, line, column, error.getMessage()));
        }
        if (parser.getErrors().isEmpty()) {
            violations.add(new Violation(file, 0, 0, "the file cannot be read as DRL"));
        }
        return java.util.Optional.empty();
    }

    /** 1-based line and column of an offset. */
    static int[] position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] { line, offset - lineStart + 1 };
    }

    private static final class FileCheck {
        private final String file;
        private final String drl;
        private final AllowList allow;
        private final Set<String> functions;
        private final Set<String> globals;
        private final List<Violation> violations;

        FileCheck(String file, String drl, AllowList allow, Set<String> functions, Set<String> globals,
                List<Violation> violations) {
            this.file = file;
            this.drl = drl;
            this.allow = allow;
            this.functions = functions;
            this.globals = globals;
            this.violations = violations;
        }

        void check(PackageDescr pkg) {
            String name = pkg.getName() == null ? "" : pkg.getName();
            if (!name.isEmpty() && !name.equals(RULE_PACKAGE) && !name.startsWith(RULE_PACKAGE + ".")) {
                refuse(pkg, "package " + name + " is not allowed: rule files live in " + RULE_PACKAGE
                        + " or a package below it");
            }
            pkg.getImports().forEach(this::checkImport);
            if (!pkg.getFunctionImports().isEmpty()) {
                refuse(pkg.getFunctionImports().get(0), "import function is not allowed: declare the function in "
                        + "the ruleset");
            }
            if (!pkg.getAccumulateImports().isEmpty()) {
                refuse(pkg.getAccumulateImports().get(0), "import accumulate is not allowed: use count, sum, "
                        + "average, min, max, collectList or collectSet");
            }
            if (!pkg.getEntryPointDeclarations().isEmpty() || !pkg.getWindowDeclarations().isEmpty()
                    || !pkg.getEnumDeclarations().isEmpty()) {
                refuse(pkg, "entry points, windows and enum declarations are not used by Beacon rules");
            }
            pkg.getAttributes().forEach(this::checkAttribute);
            for (GlobalDescr global : pkg.getGlobals()) {
                if (!allow.type(global.getType())) {
                    refuse(global, "global " + global.getIdentifier() + " of type " + global.getType()
                            + " is not allowed: the engine provides one global, decisions");
                }
            }
            pkg.getTypeDeclarations().forEach(this::checkDeclaration);
            pkg.getFunctions().forEach(this::checkFunction);
            pkg.getRules().forEach(this::checkRule);
        }

        private void checkImport(ImportDescr descr) {
            String target = descr.getTarget();
            boolean allowed = target.equals(MODEL_PACKAGE + ".*") || (!target.endsWith("*") && allow.type(target)
                    && allow.resolve(target) != null && target.contains("."));
            if (!allowed) {
                int offset = drl.indexOf(target, Math.max(descr.getStartCharacter(), 0));
                int[] where = offset < 0 ? new int[] { descr.getLine(), 1 } : position(drl, offset);
                refuse(where[0], where[1], "import of " + target + " is not allowed: rules may import Beacon's rule model ("
                        + MODEL_PACKAGE + ") and, one class at a time, java.lang value types, java.math, java.time "
                        + "and java.util collections");
            }
        }

        private void checkAttribute(AttributeDescr attribute) {
            String name = attribute.getName();
            String value = attribute.getValue() == null ? "" : attribute.getValue().trim();
            if (!ATTRIBUTES.contains(name)) {
                refuse(attribute, "rule attribute " + name + " is not allowed");
            } else if (name.equals("dialect") && !value.replace("\"", "").equals("java")) {
                refuse(attribute, "dialect " + value + " is not allowed: rules are written in the Java dialect, "
                        + "the default");
            } else if ((name.equals("salience") || name.equals("enabled")) && !LITERAL.matcher(value).matches()) {
                refuse(attribute, name + " must be a literal value, not an expression");
            }
        }

        private void checkAnnotations(AnnotatedBaseDescr descr) {
            for (AnnotationDescr annotation : descr.getAnnotations()) {
                String values = annotation.getValueMap().values().stream().map(String::valueOf)
                        .reduce("", (a, b) -> a + "," + b);
                if (!ANNOTATIONS.contains(annotation.getName()) || !ANNOTATION_VALUE.matcher(values).matches()) {
                    refuse(annotation.getLine() > 0 ? annotation : (BaseDescr) descr, "annotation @"
                            + annotation.getName() + " is not allowed here");
                }
            }
        }

        private void checkDeclaration(TypeDeclarationDescr type) {
            checkAnnotations(type);
            if (type.getSuperTypeName() != null && !type.getSuperTypeName().equals("Object")) {
                refuse(type, "declared type " + type.getTypeName() + " may not extend " + type.getSuperTypeName());
            }
            for (TypeFieldDescr field : type.getFields().values()) {
                checkAnnotations(field);
                String fieldType = field.getPattern() == null ? null : field.getPattern().getObjectType();
                if (fieldType != null && !isPrimitive(fieldType) && !allow.type(stripGenerics(fieldType))) {
                    refuse(field, "field " + field.getFieldName() + " has type " + fieldType
                            + ", which rules may not use");
                }
                if (field.getInitExpr() != null) {
                    expression(field.getInitExpr(), field, Set.of(), false);
                }
            }
        }

        private void checkFunction(FunctionDescr function) {
            List<String> types = new ArrayList<>(function.getParameterTypes());
            types.add(function.getReturnType());
            for (String type : types) {
                if (type != null && !type.equals("void") && !isPrimitive(type)
                        && !allow.type(stripGenerics(type))) {
                    refuse(function, "function " + function.getName() + " uses type " + type
                            + ", which rules may not use");
                }
            }
            Set<String> parameters = new HashSet<>(function.getParameterNames());
            block(function.getBody(), function, parameters);
        }

        private void checkRule(RuleDescr rule) {
            if (rule.isQuery()) {
                refuse(rule, "queries are not used by Beacon rules: the engine reads decisions, not query results");
                return;
            }
            checkAnnotations(rule);
            rule.getAttributes().values().forEach(this::checkAttribute);
            if (rule.getNamedConsequences() != null && !rule.getNamedConsequences().isEmpty()) {
                refuse(rule, "named consequences are not used by Beacon rules");
            }
            Set<String> bindings = new LinkedHashSet<>(globals);
            lhs(rule.getLhs(), bindings);
            if (rule.getConsequence() instanceof String consequence) {
                block(consequence, rule, bindings);
            } else if (rule.getConsequence() != null) {
                refuse(rule, "this consequence cannot be checked");
            }
        }

        private void lhs(BaseDescr descr, Set<String> bindings) {
            if (descr == null) {
                return;
            }
            if (descr instanceof AndDescr || descr instanceof OrDescr || descr instanceof NotDescr
                    || descr instanceof ExistsDescr || descr instanceof ForallDescr) {
                for (BaseDescr child : ((org.drools.drl.ast.descr.ConditionalElementDescr) descr).getDescrs()) {
                    lhs(child, bindings);
                }
            } else if (descr instanceof PatternDescr pattern) {
                pattern(pattern, bindings);
            } else if (descr instanceof EvalDescr eval) {
                if (eval.getContent() instanceof String content) {
                    expression(content, eval, bindings, false);
                } else {
                    refuse(eval, "this eval cannot be checked");
                }
            } else {
                refuse(descr, "DRL element " + descr.getClass().getSimpleName().replace("Descr", "")
                        + " is not used by Beacon rules");
            }
        }

        private void pattern(PatternDescr pattern, Set<String> bindings) {
            checkAnnotations(pattern);
            String type = stripGenerics(pattern.getObjectType());
            if (!allow.type(type)) {
                refuse(pattern, "rules may match facts of Beacon's rule model, declared types and allowed value "
                        + "types, not " + pattern.getObjectType());
            }
            if (pattern.getIdentifier() != null) {
                bindings.add(pattern.getIdentifier());
            }
            PatternSourceDescr source = pattern.getSource();
            if (source != null) {
                source(source, bindings);
            }
            for (BaseDescr constraint : pattern.getDescrs()) {
                if (constraint instanceof ExprConstraintDescr expr) {
                    expression(expr.getExpression(), expr, bindings, true);
                    bindingOf(expr.getExpression()).ifPresent(bindings::add);
                } else if (constraint instanceof BindingDescr binding) {
                    expression(binding.getExpression(), binding, bindings, true);
                    bindings.add(binding.getVariable());
                } else {
                    refuse(constraint, "this kind of constraint cannot be checked");
                }
            }
        }

        private void source(PatternSourceDescr source, Set<String> bindings) {
            if (source instanceof FromDescr from) {
                if (from.getDataSource() instanceof MVELExprDescr mvel) {
                    expression(mvel.getExpression(), from.getLine() > 0 ? from : null, bindings, false);
                } else {
                    refuse(from, "this from source cannot be checked");
                }
            } else if (source instanceof CollectDescr collect) {
                lhs(collect.getInputPattern(), bindings);
            } else if (source instanceof AccumulateDescr accumulate) {
                lhs(accumulate.getInput(), bindings);
                if (accumulate.getInitCode() != null || accumulate.getActionCode() != null
                        || accumulate.getReverseCode() != null || accumulate.getResultCode() != null) {
                    refuse(accumulate, "accumulate with init/action/result code is not allowed: use count, sum, "
                            + "average, min, max, collectList or collectSet");
                }
                for (AccumulateDescr.AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
                    if (!ACCUMULATE_FUNCTIONS.contains(function.getFunction())) {
                        refuse(accumulate, "accumulate function " + function.getFunction() + " is not allowed: use "
                                + "count, sum, average, min, max, collectList or collectSet");
                    }
                    for (String parameter : function.getParams()) {
                        expression(parameter, accumulate, bindings, false);
                    }
                    if (function.getBind() != null) {
                        bindings.add(function.getBind());
                    }
                }
            } else {
                refuse(source, "pattern source " + source.getClass().getSimpleName().replace("Descr", "")
                        + " is not used by Beacon rules");
            }
        }

        private void expression(String code, BaseDescr at, Set<String> variables, boolean condition) {
            int[] where = locate(code, at);
            CodeCheck.expression(code, variables, allow, functions, condition, where[0], where[1], this::refuse);
        }

        private void block(String code, BaseDescr at, Set<String> variables) {
            int[] where = locate(code, at);
            CodeCheck.block(code, variables, allow, functions, where[0], where[1], this::refuse);
        }

        /** Where the code's text starts in the file: searched from its element's start. */
        private int[] locate(String code, BaseDescr at) {
            int from = at == null || at.getStartCharacter() < 0 ? 0 : at.getStartCharacter();
            int offset = drl.indexOf(code, from);
            if (offset < 0) {
                offset = drl.indexOf(code);
            }
            if (offset >= 0) {
                return position(drl, offset);
            }
            return at != null && at.getLine() > 0 ? new int[] { at.getLine(), Math.max(1, at.getColumn() + 1) }
                    : new int[] { 1, 1 };
        }

        private void refuse(BaseDescr at, String message) {
            int[] where = at.getStartCharacter() >= 0 ? position(drl, at.getStartCharacter())
                    : new int[] { Math.max(at.getLine(), 0), Math.max(at.getColumn() + 1, 0) };
            refuse(where[0], where[1], message);
        }

        private void refuse(int line, int column, String message) {
            violations.add(new Violation(file, line, column, message));
        }
    }

    private static final Pattern BINDING = Pattern.compile("^\\s*(\\$?[A-Za-z_]\\w*)\\s*:=?(?!=)");

    private static java.util.Optional<String> bindingOf(String condition) {
        Matcher m = BINDING.matcher(condition);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static boolean isPrimitive(String type) {
        return Set.of("int", "long", "double", "float", "boolean", "char", "short", "byte").contains(type);
    }

    private static String stripGenerics(String type) {
        int generic = type.indexOf('<');
        String raw = (generic < 0 ? type : type.substring(0, generic)).trim();
        return raw.endsWith("[]") ? stripGenerics(raw.substring(0, raw.length() - 2)) : raw;
    }
}
