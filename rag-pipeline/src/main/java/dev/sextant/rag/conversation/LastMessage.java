package dev.sextant.rag.conversation;

import java.util.Optional;

/** The user's last message alone, whatever came before: what retrieval did before conversations were read. */
public final class LastMessage implements QueryRewriter {

    @Override
    public RewriteResult rewrite(RewriteRequest request) {
        return new RewriteResult(request.message().strip(), RewriteResult.Method.AS_ASKED);
    }

    @Override
    public Optional<ChatModel.Request> modelCall(RewriteRequest request) {
        return Optional.empty();
    }
}
