package dev.sextant.inference.template.jinja;

import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/** {@code x[i]}; on a string, Python's code point at {@code i} (negative from the end). */
final class AstPythonBracket extends AstBracket {

    AstPythonBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
        super(base, property, lvalue, strict, false);
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object base = prefix.eval(bindings, context);
        if (base instanceof String s) {
            Object index = property.eval(bindings, context);
            if (index instanceof Number n && !(index instanceof Double) && !(index instanceof Float)) {
                int[] cps = s.codePoints().toArray();
                int i = n.intValue() < 0 ? n.intValue() + cps.length : n.intValue();
                if (i < 0 || i >= cps.length) {
                    throw new ELException("string index out of range");
                }
                return Character.toString(cps[i]);
            }
        }
        return super.eval(bindings, context);
    }
}
