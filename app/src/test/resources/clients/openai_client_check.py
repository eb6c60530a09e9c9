"""The official openai Python client against a sextant server: structured outputs as its users write them.

Usage: python openai_client_check.py BASE_URL   (e.g. http://localhost:8081/v1)
Prints one JSON line of what it saw; exits non-zero with the reason when a check fails.
"""
import json
import sys
from typing import Literal

from openai import BadRequestError, OpenAI
from pydantic import BaseModel, Field


class Step(BaseModel):
    title: str = Field(max_length=16)
    done: bool


class Plan(BaseModel):
    kind: Literal["fix", "feature", "chore"]
    steps: list[Step] = Field(max_length=2)
    priority: int


def main(base_url: str) -> None:
    client = OpenAI(api_key="sk-unused", base_url=base_url, max_retries=0, timeout=120)
    model = client.models.list().data[0].id
    messages = [{"role": "user", "content": "Plan the fix of a flaky test as JSON."}]
    seen = {"model": model}

    # Pydantic model -> strict json_schema; the client parses and validates the answer into the model.
    parsed = client.chat.completions.parse(model=model, messages=messages, response_format=Plan, max_tokens=400)
    plan = parsed.choices[0].message.parsed
    assert isinstance(plan, Plan), f"not parsed: {parsed.choices[0].message.content!r}"
    seen["parse"] = plan.model_dump()
    seen["parse_finish_reason"] = parsed.choices[0].finish_reason

    # The same, streamed: the client joins the deltas and parses the whole.
    with client.chat.completions.stream(model=model, messages=messages, response_format=Plan,
                                        max_tokens=400) as stream:
        deltas = sum(1 for event in stream if event.type == "content.delta")
        final = stream.get_final_completion()
    assert isinstance(final.choices[0].message.parsed, Plan), "stream not parsed"
    assert deltas > 1, f"the answer came in {deltas} delta(s), not streamed"
    seen["stream_deltas"] = deltas

    # json_object mode through the plain create call.
    answer = client.chat.completions.create(model=model, messages=messages, max_tokens=60,
                                            response_format={"type": "json_object"})
    assert isinstance(json.loads(answer.choices[0].message.content), dict), answer.choices[0].message.content
    seen["json_object"] = True

    # Log-probabilities, in one answer and streamed (a question the sample documents cover, so the model answers
    # rather than the refusal text).
    covered = [{"role": "user", "content": "How do I rebase a feature branch onto main with git?"}]
    answer = client.chat.completions.create(model=model, messages=covered, max_tokens=6, logprobs=True,
                                            top_logprobs=2)
    content = answer.choices[0].logprobs.content
    assert content and all(len(t.top_logprobs) == 2 and t.logprob <= 0 for t in content), content
    seen["logprobs"] = len(content)
    streamed = 0
    for chunk in client.chat.completions.create(model=model, messages=covered, max_tokens=6, logprobs=True,
                                                top_logprobs=1, stream=True):
        if chunk.choices and chunk.choices[0].logprobs and chunk.choices[0].logprobs.content:
            streamed += len(chunk.choices[0].logprobs.content)
    assert streamed > 0, "no logprobs in the stream"
    seen["streamed_logprobs"] = streamed

    # What is not implemented is refused by name, not ignored.
    try:
        client.chat.completions.create(model=model, messages=messages, max_tokens=4, tools=[
            {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}])
        raise AssertionError("a request with tools was answered")
    except BadRequestError as e:
        assert "tools" in str(e), str(e)
        seen["tools_refused"] = True

    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1])
