package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;

/** Python's {@code *}: strings and lists repeated by an integer; numbers as Jinjava multiplies them. */
final class PythonMultiplication extends AstBinary.SimpleOperator {

    static final AstBinary.Operator OPERATOR = new PythonMultiplication();

    private PythonMultiplication() {
    }

    @Override
    protected Object apply(TypeConverter converter, Object a, Object b) {
        if ((a instanceof String || a instanceof List<?>) && isInteger(b)) {
            return repeat(a, ((Number) b).intValue());
        }
        if (isInteger(a) && (b instanceof String || b instanceof List<?>)) {
            return repeat(b, ((Number) a).intValue());
        }
        return NumberOperations.mul(converter, a, b);
    }

    private static boolean isInteger(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte
                || o instanceof BigInteger;
    }

    private static Object repeat(Object value, int times) {
        if (value instanceof String s) {
            return s.repeat(Math.max(0, times));
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.addAll((List<?>) value);
        }
        return new PyList(out);
    }

    @Override
    public String toString() {
        return "*";
    }
}
