package dev.sextant.router.rest;

/**
 * An error to return to the client as OpenAI-style JSON:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /** OpenAI's answer to a model it does not serve. */
    public static ApiException modelNotFound(String message) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
