package dev.sextant.rag.conversation;

/** The user's last message alone, whatever came before: what retrieval did before conversations were read. */
public final class LastMessage implements QueryRewriter {

    @Override
    public RewriteResult rewrite(RewriteRequest request) {
        return new RewriteResult(request.message().strip(), RewriteResult.Method.AS_ASKED);
    }
}
