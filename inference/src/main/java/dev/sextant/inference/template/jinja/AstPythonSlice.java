package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/** {@code seq[start:stop:step]} with Python's semantics, on lists (and other iterables) and strings. */
final class AstPythonSlice extends AstRightValue {

    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    AstPythonSlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object value = base.eval(bindings, context);
        if (value == null) {
            return null;
        }
        Integer first = bound(start, bindings, context);
        Integer last = bound(stop, bindings, context);
        Integer by = bound(step, bindings, context);
        int stride = by == null ? 1 : by;
        if (stride == 0) {
            throw new ELException("slice step cannot be zero");
        }
        if (value instanceof String s) {
            int[] cps = s.codePoints().toArray();
            StringBuilder out = new StringBuilder();
            for (int i : indices(cps.length, first, last, stride)) {
                out.appendCodePoint(cps[i]);
            }
            return out.toString();
        }
        List<Object> items = new ArrayList<>();
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(items::add);
        } else if (value instanceof Object[] array) {
            items.addAll(Arrays.asList(array));
        } else {
            throw new ELException("'" + value.getClass().getSimpleName() + "' object is not subscriptable");
        }
        List<Object> out = new ArrayList<>();
        for (int i : indices(items.size(), first, last, stride)) {
            out.add(items.get(i));
        }
        return new PyList(out);
    }

    private static Integer bound(AstNode node, Bindings bindings, ELContext context) {
        if (node == null) {
            return null;
        }
        Object v = node.eval(bindings, context);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw new ELException("slice indices must be integers or None");
        }
        return n.intValue();
    }

    /** CPython's PySlice_AdjustIndices. */
    private static List<Integer> indices(int length, Integer start, Integer stop, int step) {
        int lo;
        int hi;
        if (step > 0) {
            lo = start == null ? 0 : clamp(start, length, 0, length);
            hi = stop == null ? length : clamp(stop, length, 0, length);
        } else {
            lo = start == null ? length - 1 : clamp(start, length, -1, length - 1);
            hi = stop == null ? -1 : clamp(stop, length, -1, length - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = lo; step > 0 ? i < hi : i > hi; i += step) {
            out.add(i);
        }
        return out;
    }

    private static int clamp(int index, int length, int min, int max) {
        int i = index < 0 ? index + length : index;
        return Math.max(min, Math.min(max, i));
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        base.appendStructure(b, bindings);
        b.append('[');
        if (start != null) {
            start.appendStructure(b, bindings);
        }
        b.append(':');
        if (stop != null) {
            stop.appendStructure(b, bindings);
        }
        if (step != null) {
            b.append(':');
            step.appendStructure(b, bindings);
        }
        b.append(']');
    }

    @Override
    public int getCardinality() {
        return 4;
    }

    @Override
    public AstNode getChild(int i) {
        return switch (i) {
            case 0 -> base;
            case 1 -> start;
            case 2 -> stop;
            case 3 -> step;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "[:]";
    }
}
