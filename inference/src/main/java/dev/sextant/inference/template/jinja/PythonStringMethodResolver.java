package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.objects.collections.PyList;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/** Python {@code str} methods on Java strings; everything else goes to Jinjava's own resolvers. */
final class PythonStringMethodResolver extends ELResolver {

    static final ELResolver RESOLVER = new CompositeELResolver() {
        {
            add(new PythonStringMethodResolver());
            add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        }
    };

    private static final Set<String> METHODS = Set.of("startswith", "endswith", "strip", "lstrip", "rstrip",
            "split", "rsplit", "splitlines", "upper", "lower", "title", "capitalize", "replace", "find", "count",
            "join", "isspace", "isdigit", "isalpha", "isupper", "islower");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name) || !METHODS.contains(name)) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result = call(s, name, p);
        context.setPropertyResolved(true);
        return result;
    }

    private static Object call(String s, String name, Object[] p) {
        return switch (name) {
            case "startswith" -> PythonStrings.affix(s, p[0], true);
            case "endswith" -> PythonStrings.affix(s, p[0], false);
            case "strip" -> PythonStrings.strip(s, optionalString(p, 0), true, true);
            case "lstrip" -> PythonStrings.strip(s, optionalString(p, 0), true, false);
            case "rstrip" -> PythonStrings.strip(s, optionalString(p, 0), false, true);
            case "split" -> new PyList(PythonStrings.split(s, optionalString(p, 0), optionalInt(p, 1)));
            case "rsplit" -> new PyList(PythonStrings.rsplit(s, optionalString(p, 0), optionalInt(p, 1)));
            case "splitlines" -> new PyList(new ArrayList<>(s.lines().toList()));
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> PythonStrings.title(s);
            case "capitalize" -> PythonStrings.capitalize(s);
            case "replace" -> PythonStrings.replace(s, Objects.toString(p[0]), Objects.toString(p[1]),
                    optionalInt(p, 2));
            case "find" -> PythonStrings.codePointIndex(s, s.indexOf(Objects.toString(p[0])));
            case "count" -> PythonStrings.count(s, Objects.toString(p[0]));
            case "join" -> join(s, p[0]);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(PythonStrings::isSpace);
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isupper" -> s.codePoints().anyMatch(Character::isUpperCase)
                    && s.codePoints().noneMatch(Character::isLowerCase);
            case "islower" -> s.codePoints().anyMatch(Character::isLowerCase)
                    && s.codePoints().noneMatch(Character::isUpperCase);
            default -> throw new IllegalStateException(name);
        };
    }

    private static String join(String separator, Object items) {
        StringBuilder out = new StringBuilder();
        if (items instanceof Iterable<?> iterable) {
            boolean first = true;
            for (Object o : iterable) {
                if (!first) {
                    out.append(separator);
                }
                first = false;
                out.append(PythonOutput.str(o));
            }
        }
        return out.toString();
    }

    private static String optionalString(Object[] p, int i) {
        return p.length > i && p[i] != null ? p[i].toString() : null;
    }

    private static int optionalInt(Object[] p, int i) {
        return p.length > i && p[i] instanceof Number n ? n.intValue() : -1;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not resolved here
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
