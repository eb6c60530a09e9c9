package dev.sextant.inference.template.jinja;

/**
 * A template's {@code raise_exception(message)}: thrown inside Jinjava, which records it as a template error;
 * {@link JinjaTemplate#render} rethrows it so that the caller can refuse the request with the template's message.
 */
public final class TemplateRaisedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TemplateRaisedException(String message) {
        super(message, null, false, false);
    }
}
