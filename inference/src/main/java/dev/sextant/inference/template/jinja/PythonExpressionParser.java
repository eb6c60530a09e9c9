package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's parser with two Jinja2 rules: a keyword argument's value is a whole expression ({@code f(a=x|length
 * - 1)}, where Jinjava binds {@code =} like {@code +}), and slices take Python's {@code [start:stop:step]}.
 */
final class PythonExpressionParser extends ExtendedParser {

    PythonExpressionParser(Builder context, String input) {
        super(context, input);
    }

    /**
     * Jinja2's {@code not} binds looser than comparisons and tests: {@code not x is defined} is
     * {@code not (x is defined)}; EL's {@code not} is a unary operator that would take {@code x} alone.
     */
    @Override
    protected AstNode eq(boolean required) throws Scanner.ScanException, Parser.ParseException {
        if (getToken().getSymbol() == Scanner.Symbol.NOT) {
            consumeToken();
            return createAstUnary(eq(true), AstUnary.NOT);
        }
        return super.eq(required);
    }

    /**
     * Filters and tests after a unary operand, any number and in any order as Jinja2 takes them
     * ({@code messages|length is divisibleby 3}); Jinjava stops after a run of filters or one test.
     */
    @Override
    protected AstNode filter(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = unary(required);
        if (v == null) {
            return null;
        }
        while (true) {
            if ("|".equals(getToken().getImage()) && lookahead(0).getSymbol() == Scanner.Symbol.IDENTIFIER) {
                consumeToken();
                String name = consumeToken().getImage();
                List<AstNode> params = new ArrayList<>(List.of(v, interpreter()));
                if (getToken().getSymbol() == Scanner.Symbol.LPAREN) {
                    AstParameters args = params();
                    for (int i = 0; i < args.getCardinality(); i++) {
                        params.add(args.getChild(i));
                    }
                }
                v = createAstMethod(createAstDot(identifier(ExtendedParser.FILTER_PREFIX + name), "filter", true),
                        createAstParameters(params));
            } else if ("is".equals(getToken().getImage()) && "not".equals(lookahead(0).getImage())
                    && isTestName(lookahead(1).getSymbol())) {
                consumeToken();
                consumeToken();
                v = test(v, "evaluateNegated");
            } else if ("is".equals(getToken().getImage()) && isTestName(lookahead(0).getSymbol())) {
                consumeToken();
                v = test(v, "evaluate");
            } else {
                return v;
            }
        }
    }

    private AstNode test(AstNode subject, String method) throws Scanner.ScanException, Parser.ParseException {
        String name = consumeToken().getImage();
        List<AstNode> params = new ArrayList<>(List.of(subject, interpreter()));
        AstNode argument = value();
        if (argument != null) {
            params.add(argument);
        }
        return createAstMethod(createAstDot(identifier(ExtendedParser.EXPTEST_PREFIX + name), method, true),
                createAstParameters(params));
    }

    private static boolean isTestName(Scanner.Symbol symbol) {
        return switch (symbol) {
            case IDENTIFIER, EQ, NE, LT, LE, GT, GE, TRUE, FALSE, EXTENSION -> true;
            default -> false;
        };
    }

    @Override
    protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
        return super.createAstBinary(left, right, operator == AstBinary.MUL ? PythonMultiplication.OPERATOR : operator);
    }

    @Override
    protected AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
        return new AstPythonBracket(base, property, lvalue, strict);
    }

    @Override
    protected AstNode add(boolean required) throws Scanner.ScanException, Parser.ParseException {
        AstNode v = mul(required);
        if (v == null) {
            return null;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case PLUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AdditionOperator.OP);
                }
                case MINUS -> {
                    consumeToken();
                    v = createAstBinary(v, mul(true), AstBinary.SUB);
                }
                case EXTENSION -> {
                    if (NamedParameterOperator.TOKEN.getImage().equals(getToken().getImage())) {
                        consumeToken();
                        return NamedParameterOperator.HANDLER.createAstNode(v, expr(true));
                    }
                    if (getExtensionHandler(getToken()).getExtensionPoint() != Parser.ExtensionPoint.ADD) {
                        return v;
                    }
                    v = getExtensionHandler(consumeToken()).createAstNode(v, mul(true));
                }
                default -> {
                    return v;
                }
            }
        }
    }

    @Override
    protected AstNode value() throws Scanner.ScanException, Parser.ParseException {
        boolean lvalue = true;
        AstNode v = nonliteral();
        if (v == null) {
            v = literal();
            if (v == null) {
                return null;
            }
            lvalue = false;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case DOT -> {
                    consumeToken();
                    String name = consumeToken(Scanner.Symbol.IDENTIFIER).getImage();
                    AstDot dot = createAstDot(v, name, lvalue);
                    if (getToken().getSymbol() == Scanner.Symbol.LPAREN
                            && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                        v = createAstMethod(dot, params());
                    } else {
                        v = dot;
                    }
                }
                case LBRACK -> {
                    consumeToken();
                    AstNode start = expr(false);
                    boolean strict = !context.isEnabled(Builder.Feature.NULL_PROPERTIES);
                    Scanner.Token next = consumeToken();
                    if (next.getSymbol() == Scanner.Symbol.COLON) {
                        AstNode stop = expr(false);
                        AstNode step = null;
                        if (getToken().getSymbol() == Scanner.Symbol.COLON) {
                            consumeToken();
                            step = expr(false);
                        }
                        consumeToken(Scanner.Symbol.RBRACK);
                        v = new AstPythonSlice(v, start, stop, step);
                    } else if (next.getSymbol() == Scanner.Symbol.RBRACK) {
                        AstBracket bracket = createAstBracket(v, start, lvalue, strict);
                        if (getToken().getSymbol() == Scanner.Symbol.LPAREN
                                && context.isEnabled(Builder.Feature.METHOD_INVOCATIONS)) {
                            v = createAstMethod(bracket, params());
                        } else {
                            v = bracket;
                        }
                    } else {
                        fail(Scanner.Symbol.RBRACK);
                    }
                }
                default -> {
                    // Operators (filters, tests) are parsed at Jinja2's precedence level: natural precedence is on.
                    return v;
                }
            }
        }
    }
}
