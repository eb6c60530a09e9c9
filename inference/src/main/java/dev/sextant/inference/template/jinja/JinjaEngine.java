package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.time.Clock;
import java.util.Map;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava configured for chat templates: Jinja2's precedence and Python expressions ({@link PythonSyntaxBuilder}),
 * Python string methods, transformers' filters, globals and tags, and no access to other templates.
 */
final class JinjaEngine extends Jinjava {

    private final ExpressionFactory expressionFactory = new ExpressionFactoryImpl(
            new TreeStore(new PythonSyntaxBuilder(), new Cache(1000)), new TruthyTypeConverter());

    /** {@code strftime_now()} formats {@code clock}'s time in its zone. */
    JinjaEngine(Clock clock) {
        super(config(clock));
        TemplateTags.register(this);
        HuggingFaceFilters.register(getGlobalContext());
        TemplateGlobals.register(getGlobalContext());
    }

    private static JinjavaConfig config(Clock clock) {
        // Whitespace control (trim_blocks, lstrip_blocks, {%- -%}) is applied by Jinja2SourceRewriter as Jinja2's
        // lexer does: Jinjava's own strips spaces before any tag, not only at the start of a line, and mishandles
        // {#- -#}.
        return JinjavaConfig.newBuilder()
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        .withUsePyishObjectMapper(true)
                        .build())
                .withElResolver(PythonStringMethodResolver.RESOLVER)
                .withDateTimeProvider(clock::millis)
                .withTimeZone(clock.getZone())
                .withLocale(TemplateGlobals.PYTHON_LOCALE)
                .build();
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return expressionFactory;
    }

    /** A fresh interpreter over {@code bindings}: one per parse or render, so that renders can run concurrently. */
    JinjavaInterpreter newInterpreter(Map<String, Object> bindings) {
        JinjavaConfig config = getGlobalConfig();
        Context context = new Context(getGlobalContextCopy(), bindings, config.getDisabled());
        return new JinjavaInterpreter(this, context, config);
    }
}
