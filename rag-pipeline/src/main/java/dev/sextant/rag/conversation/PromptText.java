package dev.sextant.rag.conversation;

/**
 * Text put into a prompt for the chat model (a condensing or judging call): one line, and cut at a word boundary so
 * that a small model is not handed half a word.
 */
public final class PromptText {

    private PromptText() {
    }

    /** {@code text} stripped, with every run of whitespace (newlines included) made one space. */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    /**
     * {@code text} when it has at most {@code maxChars} characters; else its longest prefix ending before a space
     * within {@code maxChars} (or the first {@code maxChars} characters when there is no space) followed by
     * {@code suffix}.
     */
    public static String clip(String text, int maxChars, String suffix) {
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = text.lastIndexOf(' ', maxChars);
        return text.substring(0, cut > 0 ? cut : maxChars) + suffix;
    }
}
