package dev.sextant.inference.template.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.nio.charset.Charset;
import java.util.List;

/** Tags as chat templates need them: transformers' {@code generation}, and no access to other templates or files. */
final class TemplateTags {

    private TemplateTags() {
    }

    static void register(Jinjava jinjava) {
        jinjava.setResourceLocator(NO_RESOURCES);
        for (String tag : List.of("include", "import", "from", "extends")) {
            jinjava.getGlobalContext().registerTag(new NoTag(tag));
        }
        jinjava.getGlobalContext().registerTag(new GenerationTag());
    }

    /** transformers' {@code {% generation %}} (marks assistant text for masks): renders its body unchanged. */
    private static final class GenerationTag implements Tag {

        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
    }

    private static final ResourceLocator NO_RESOURCES = new ResourceLocator() {
        @Override
        public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
                throws ResourceNotFoundException {
            throw new ResourceNotFoundException("chat templates cannot load other templates: " + fullName);
        }
    };

    /** Replaces include/import/from/extends: a chat template is one self-contained string. */
    private static final class NoTag implements Tag {

        private static final long serialVersionUID = 1L;

        private final String name;

        NoTag(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getEndTagName() {
            return null;
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            throw new InterpretException(
                    "'" + name + "' is not available in chat templates", tagNode.getLineNumber());
        }
    }
}
