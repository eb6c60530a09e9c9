package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Parser;

/** Jinjava's expression syntax with {@link PythonExpressionParser} as its parser. */
final class PythonSyntaxBuilder extends ExtendedSyntaxBuilder {

    private static final long serialVersionUID = 1L;

    PythonSyntaxBuilder() {
        super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PythonExpressionParser(this, expression);
    }
}
