package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.objects.collections.PyList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The filters chat templates use where Jinjava's differ from Jinja2's or transformers': tojson, trim, items. */
final class HuggingFaceFilters {

    private HuggingFaceFilters() {
    }

    static void register(Context globals) {
        globals.registerFilter(new ToJsonFilter());
        globals.registerFilter(new TrimFilter());
        globals.registerFilter(new ItemsFilter());
    }

    /** transformers' tojson: {@code json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)}. */
    private static final class ToJsonFilter implements Filter {

        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PythonJson.dumps(var, null, null, null, false);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object ensureAscii = arg(args, kwargs, 0, "ensure_ascii");
            Object indent = arg(args, kwargs, 1, "indent");
            Object separators = arg(args, kwargs, 2, "separators");
            Object sortKeys = arg(args, kwargs, 3, "sort_keys");
            String itemSeparator = null;
            String keySeparator = null;
            if (separators instanceof List<?> pair && pair.size() == 2) {
                itemSeparator = Objects.toString(pair.get(0));
                keySeparator = Objects.toString(pair.get(1));
            }
            String indentText = switch (indent) {
                case null -> null;
                case Number n -> " ".repeat(Math.max(0, n.intValue()));
                default -> indent.toString();
            };
            String json = PythonJson.dumps(var, indentText, itemSeparator, keySeparator, Boolean.TRUE.equals(sortKeys));
            return Boolean.TRUE.equals(ensureAscii) ? PythonJson.asciiOnly(json) : json;
        }

        private static Object arg(Object[] args, Map<String, Object> kwargs, int position, String name) {
            if (kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return args != null && args.length > position ? args[position] : null;
        }
    }

    /** Jinja2's trim: Python's {@code str.strip(chars)}. */
    private static final class TrimFilter implements Filter {

        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PythonStrings.strip(PythonOutput.str(var), chars, true, true);
        }
    }

    /** Jinja2's items: a mapping's (key, value) pairs. */
    private static final class ItemsFilter implements Filter {

        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<Object> items = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    items.add(new PyList(new ArrayList<>(Arrays.asList(e.getKey(), e.getValue()))));
                }
            }
            return new PyList(items);
        }
    }
}
