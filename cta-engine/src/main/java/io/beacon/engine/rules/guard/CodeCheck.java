package io.beacon.engine.rules.guard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Position;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.RecordPatternExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.AssertStmt;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.LabeledStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.SynchronizedStmt;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;

/**
 * Checks one piece of rule code (a consequence, a function body, a condition) parsed by JavaParser:
 * every name it uses must be a variable in scope, an allowed type, or an allowed member of one.
 * What the parser cannot read, or reads as a construct rules have no use for, is refused too: the
 * check never lets through what it did not understand.
 */
final class CodeCheck {

    /** Where a piece of code sits in its DRL file, and what reports go to. */
    interface Sink {
        void refuse(int line, int column, String message);
    }

    private static final JavaParser PARSER = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
            // Unicode escapes are refused before any code is parsed, so there is nothing to translate.
            .setPreprocessUnicodeEscapes(false)
            .setAttributeComments(false));

    private static final String ALLOWED_SUMMARY = "rules may use their facts, the decisions global, "
            + "java.lang value types and Math, java.math, java.time and java.util collections";

    private final AllowList allow;
    private final Set<String> functions;
    private final Sink sink;
    private final int baseLine;
    private final int baseColumn;
    private final int prefixLength;
    /** In a condition, unqualified names are the fact's properties and {@code this} is the fact. */
    private final boolean condition;

    private CodeCheck(AllowList allow, Set<String> functions, Sink sink, int baseLine, int baseColumn,
            int prefixLength, boolean condition) {
        this.allow = allow;
        this.functions = functions;
        this.sink = sink;
        this.baseLine = baseLine;
        this.baseColumn = baseColumn;
        this.prefixLength = prefixLength;
        this.condition = condition;
    }

    /** A block of Java statements: a consequence, a function body, accumulate code. */
    static void block(String code, Set<String> variables, AllowList allow, Set<String> functions, int line,
            int column, Sink sink) {
        String prefix = "{";
        ParseResult<BlockStmt> parsed = PARSER.parseBlock(prefix + code + "\n}");
        CodeCheck check = new CodeCheck(allow, functions, sink, line, column, prefix.length(), false);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            check.unreadable(parsed, "Java statements");
            return;
        }
        check.check(parsed.getResult().get(), new Scope(null, variables));
    }

    /**
     * An expression: a condition inside a pattern, an {@code eval}, a {@code from} source or an
     * accumulate argument. DRL's own operators are rewritten to Java ones of the same shape first.
     */
    static void expression(String code, Set<String> variables, AllowList allow, Set<String> functions,
            boolean condition, int line, int column, Sink sink) {
        String java = DrlOperators.toJava(code);
        CodeCheck check = new CodeCheck(allow, functions, sink, line, column, 0, condition);
        if (java == null) {
            sink.refuse(line, column, "this condition uses an operator rules may not use; write it with ==, !=, <, "
                    + "<=, >, >=, &&, ||, contains, memberOf, matches, in or a method call");
            return;
        }
        ParseResult<Expression> parsed = PARSER.parseExpression(java);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            check.unreadable(parsed, "an expression");
            return;
        }
        check.check(parsed.getResult().get(), new Scope(null, variables));
    }

    private void unreadable(ParseResult<?> parsed, String what) {
        Position at = parsed.getProblems().stream().findFirst().flatMap(p -> p.getLocation())
                .flatMap(l -> l.getBegin().getRange()).map(r -> r.begin).orElse(new Position(1, 1 + prefixLength));
        refuse(at, "this is not " + what + " the rule check can read ("
                + parsed.getProblems().stream().findFirst().map(p -> p.getMessage().lines().findFirst().orElse(""))
                        .orElse("unreadable")
                + "); rules are checked before they are compiled and what cannot be checked is refused");
    }

    private void check(Node node, Scope scope) {
        if (node instanceof BlockStmt block) {
            Scope inner = new Scope(scope, Set.of());
            block.getStatements().forEach(s -> check(s, inner));
        } else if (node instanceof ForEachStmt loop) {
            check(loop.getIterable(), scope);
            Scope inner = new Scope(scope, Set.of());
            check(loop.getVariable(), inner);
            check(loop.getBody(), inner);
        } else if (node instanceof WhileStmt || node instanceof DoStmt || node instanceof ForStmt) {
            refuse(node, "only for-each loops over a collection are allowed in rules (a loop that may not end "
                    + "would stop the engine)");
        } else if (node instanceof TryStmt || node instanceof ThrowStmt || node instanceof SynchronizedStmt
                || node instanceof LocalClassDeclarationStmt || node instanceof LocalRecordDeclarationStmt
                || node instanceof AssertStmt || node instanceof LabeledStmt) {
            refuse(node, statementName(node) + " is not allowed in rules: rules decide with conditions, "
                    + "variables, if/else and for-each loops");
        } else if (node instanceof SwitchEntry entry) {
            entry.getLabels().forEach(label -> check(label, scope));
            Scope inner = new Scope(scope, Set.of());
            entry.getStatements().forEach(s -> check(s, inner));
        } else if (node instanceof VariableDeclarationExpr declaration) {
            for (VariableDeclarator variable : declaration.getVariables()) {
                checkType(variable.getType());
                variable.getInitializer().ifPresent(init -> check(init, scope));
                scope.declare(variable.getNameAsString());
            }
        } else if (node instanceof Parameter parameter) {
            checkType(parameter.getType());
            scope.declare(parameter.getNameAsString());
        } else if (node instanceof RecordPatternExpr) {
            refuse(node, "record patterns are not allowed in rules");
        } else if (node instanceof TypePatternExpr pattern) {
            checkType(pattern.getType());
            scope.declare(pattern.getNameAsString());
        } else if (node instanceof LambdaExpr || node instanceof MethodReferenceExpr) {
            refuse(node, "lambdas and method references are not allowed in rules; use a for-each loop");
        } else if (node instanceof ClassExpr) {
            refuse(node, ".class is not allowed in rules: classes and reflection are off limits");
        } else if (node instanceof SuperExpr) {
            refuse(node, "super is not allowed in rules");
        } else if (node instanceof ThisExpr self) {
            if (!condition || self.getTypeName().isPresent()) {
                refuse(node, "this is only allowed in a condition, where it is the fact being matched");
            }
        } else if (node instanceof TextBlockLiteralExpr) {
            refuse(node, "text blocks are not allowed in rules; use an ordinary string");
        } else if (node instanceof ArrayCreationExpr) {
            refuse(node, "arrays cannot be created in rules; use a List");
        } else if (node instanceof ObjectCreationExpr creation) {
            checkCreation(creation, scope);
        } else if (node instanceof MethodCallExpr call) {
            checkCall(call, scope);
        } else if (node instanceof FieldAccessExpr access) {
            checkNameChainOrAccess(access, scope);
        } else if (node instanceof NameExpr name) {
            checkName(name, scope);
        } else if (node instanceof Type type) {
            checkType(type);
        } else {
            node.getChildNodes().forEach(child -> check(child, scope));
        }
    }

    private void checkCreation(ObjectCreationExpr creation, Scope scope) {
        if (creation.getAnonymousClassBody().isPresent()) {
            refuse(creation, "anonymous classes are not allowed in rules");
            return;
        }
        if (creation.getScope().isPresent()) {
            refuse(creation, "inner-class creation is not allowed in rules");
            return;
        }
        checkType(creation.getType());
        creation.getArguments().forEach(a -> check(a, scope));
    }

    private void checkCall(MethodCallExpr call, Scope scope) {
        if (isRuleName(call)) {
            return;
        }
        String name = call.getNameAsString();
        call.getTypeArguments().ifPresent(types -> types.forEach(this::checkType));
        Optional<Expression> target = call.getScope();
        if (target.isEmpty()) {
            boolean known = functions.contains(name) || (condition && allow.method(name))
                    || DrlOperators.IN.equals(name);
            if (!known) {
                refuse(call, name + "(...) is neither a function declared in the ruleset nor allowed here"
                        + (condition ? "" : "; rules decide through decisions.raise(...) and decisions.clear(...)"));
            }
        } else {
            if (checkTarget(target.get(), scope) && !allow.method(name)) {
                refuse(call.getName(), name + "(...) is not allowed in rules: " + ALLOWED_SUMMARY
                        + ", and no method that reaches classes, reflection, threads, files, the network or the clock");
            }
        }
        call.getArguments().forEach(a -> check(a, scope));
    }

    /** The one use of the Drools context rules need: their own name. */
    private static boolean isRuleName(MethodCallExpr call) {
        return call.getNameAsString().equals("getName") && call.getArguments().isEmpty()
                && call.getScope().filter(MethodCallExpr.class::isInstance).map(MethodCallExpr.class::cast)
                        .filter(rule -> rule.getNameAsString().equals("getRule") && rule.getArguments().isEmpty())
                        .flatMap(MethodCallExpr::getScope).filter(NameExpr.class::isInstance).map(NameExpr.class::cast)
                        .filter(n -> n.getNameAsString().equals("drools") || n.getNameAsString().equals("kcontext"))
                        .isPresent();
    }

    /** The part before a dot: a variable, a type (for static members), or any other expression. */
    /** @return false when the target itself was refused (one report per place is enough) */
    private boolean checkTarget(Expression target, Scope scope) {
        List<NameExpr> root = new ArrayList<>();
        List<String> names = nameChain(target, root);
        if (names != null && !isValue(names.get(0), scope)) {
            return resolveStatic(names, root.get(0));
        }
        check(target, scope);
        return true;
    }

    private void checkNameChainOrAccess(FieldAccessExpr access, Scope scope) {
        List<NameExpr> root = new ArrayList<>();
        List<String> names = nameChain(access, root);
        if (names != null && !isValue(names.get(0), scope)) {
            resolveStatic(names, root.get(0));
            return;
        }
        check(access.getScope(), scope);
        if (!allow.property(access.getNameAsString())) {
            refuse(access.getName(), access.getNameAsString() + " is not a field or property rules may read");
        }
    }

    /**
     * {@code a.b.c} where {@code a} is not a variable: the longest-known prefix must be an allowed
     * type, and what follows its static fields.
     */
    private boolean resolveStatic(List<String> names, Node at) {
        for (int i = 0; i < names.size(); i++) {
            String candidate = String.join(".", names.subList(0, i + 1));
            if (allow.type(candidate)) {
                for (String rest : names.subList(i + 1, names.size())) {
                    if (!allow.property(rest)) {
                        refuse(at, candidate + "." + rest + " is not a field rules may read");
                        return false;
                    }
                }
                return true;
            }
        }
        refuse(at, String.join(".", names) + " is not something rules may use: " + ALLOWED_SUMMARY);
        return false;
    }

    private void checkName(NameExpr name, Scope scope) {
        String id = name.getNameAsString();
        if (id.equals("drools") || id.equals("kcontext")) {
            refuse(name, id + " may only be used as " + id + ".getRule().getName(): rules decide through the "
                    + "decisions global and do not change the session");
        } else if (!isValue(id, scope)) {
            refuse(name, id + " is not a variable, binding or fact property here: " + ALLOWED_SUMMARY);
        }
    }

    /** A variable in scope, or in a condition a property of the fact being matched. */
    private boolean isValue(String name, Scope scope) {
        return scope.isVariable(name) || (condition && allow.property(name));
    }

    private void checkType(Type type) {
        if (type instanceof ClassOrInterfaceType named) {
            String full = named.getNameWithScope();
            if (!allow.type(full)) {
                refuse(named, "type " + full + " is not allowed in rules: " + ALLOWED_SUMMARY);
            }
            named.getTypeArguments().ifPresent(args -> args.forEach(this::checkType));
        } else {
            // Primitive, array, var, wildcard or union types: check the class types inside them.
            type.getChildNodes().stream().filter(Type.class::isInstance).map(Type.class::cast).forEach(this::checkType);
        }
    }

    /** @return the names of {@code a.b.c} when the expression is only names, else null */
    private static List<String> nameChain(Expression expression, List<NameExpr> root) {
        if (expression instanceof NameExpr name) {
            root.add(name);
            List<String> names = new ArrayList<>();
            names.add(name.getNameAsString());
            return names;
        }
        if (expression instanceof FieldAccessExpr access && access.getTypeArguments().isEmpty()) {
            List<String> names = nameChain(access.getScope(), root);
            if (names != null) {
                names.add(access.getNameAsString());
            }
            return names;
        }
        return null;
    }

    private static String statementName(Node node) {
        String simple = node.getClass().getSimpleName().replace("Stmt", "").replace("Declaration", " declaration");
        return switch (simple) {
            case "Try" -> "try/catch";
            case "Throw" -> "throw";
            case "Synchronized" -> "synchronized";
            case "Assert" -> "assert";
            case "Labeled" -> "a labelled statement";
            default -> "a " + simple.toLowerCase();
        };
    }

    private void refuse(Node node, String message) {
        refuse(node.getBegin().orElse(new Position(1, 1 + prefixLength)), message);
    }

    private void refuse(Position at, String message) {
        int line = baseLine + at.line - 1;
        int column = at.line == 1 ? baseColumn + at.column - 1 - prefixLength : at.column;
        sink.refuse(line, Math.max(column, 1), message);
    }

    /** Variables visible at a point: bindings and globals outside, locals in blocks. */
    private static final class Scope {
        private final Scope parent;
        private final Set<String> names = new HashSet<>();

        Scope(Scope parent, Set<String> names) {
            this.parent = parent;
            this.names.addAll(names);
        }

        void declare(String name) {
            names.add(name);
        }

        boolean isVariable(String name) {
            // $-names are DRL bindings; Java has no type or package that starts with $ on a rule's classpath.
            if (name.startsWith("$")) {
                return true;
            }
            for (Scope s = this; s != null; s = s.parent) {
                if (s.names.contains(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
