"""Baseline for the inference benchmark: onnxruntime-genai (Python) on the same model directory and prompts.

Closed loop like the Java side: `concurrency` client threads each take the next prompt when their previous one is
done; every prompt generates exactly --new-tokens greedy tokens (min_length = max_length). onnxruntime-genai's CPU
engine has no continuous batching, so each client runs its own Generator (batch 1) on the shared model; ONNX Runtime
sessions are thread-safe. Prints one JSON line per concurrency level, in the Java benchmark's schema.
"""
import argparse
import json
import threading
import time

import onnxruntime_genai as og


def render(tokenizer, question):
    messages = json.dumps([{"role": "user", "content": question}])
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True)


def run_level(model, tokenizer, prompts, new_tokens, concurrency):
    next_index = [0]
    lock = threading.Lock()
    ttft = [0.0] * len(prompts)
    produced = [0] * len(prompts)

    def client():
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(prompts):
                return
            submitted = time.perf_counter()
            ids = tokenizer.encode(prompts[i])
            params = og.GeneratorParams(model)
            params.set_search_options(do_sample=False, max_length=len(ids) + new_tokens,
                                      min_length=len(ids) + new_tokens)
            generator = og.Generator(model, params)
            generator.append_tokens(ids)
            count = 0
            while not generator.is_done():
                generator.generate_next_token()
                count += 1
                if count == 1:
                    ttft[i] = (time.perf_counter() - submitted) * 1000
            produced[i] = count
            del generator

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    ordered = sorted(ttft)

    def pct(p):
        rank = max(1, -(-int(p * 1000) * len(ordered) // 1000))
        return ordered[min(len(ordered), rank) - 1]

    total = sum(produced)
    return {"concurrency": concurrency, "requests": len(prompts), "generatedTokens": total, "seconds": seconds,
            "tokensPerSecond": total / seconds, "ttftP50Millis": pct(0.50), "ttftP99Millis": pct(0.99)}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--prompts", required=True)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--concurrency", default="1,4,16")
    ap.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    model = og.Model(args.model_dir)
    tokenizer = og.Tokenizer(model)
    questions = json.load(open(args.prompts))["prompts"]
    prompts = [render(tokenizer, q) for q in questions]
    if args.warmup:
        run_level(model, tokenizer, prompts[: args.warmup], 8, 1)
    for c in [int(x) for x in args.concurrency.split(",")]:
        print(json.dumps(run_level(model, tokenizer, prompts, args.new_tokens, c)), flush=True)


if __name__ == "__main__":
    main()
