"""The inference benchmark's baseline (inference/bench/ortgenai_baseline.py) with onnxruntime-genai on CUDA.

Same prompts, same measurement, same JSON lines; the only difference is that the model is opened with the CUDA
execution provider (onnxruntime-genai-cuda) instead of the provider named in genai_config.json (cpu, as
`sextant model prepare` writes it). Run by gpu/bench-inference-gpu.sh --baseline cuda.
"""
import os
import sys

import onnxruntime_genai as og

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "inference", "bench"))
import ortgenai_baseline  # noqa: E402

_open_model = og.Model
_device_id = os.environ.get("SEXTANT_CUDA_DEVICE_ID", "0")


def cuda_model(model_dir):
    config = og.Config(model_dir)
    config.clear_providers()
    config.append_provider("cuda")
    config.set_provider_option("cuda", "device_id", _device_id)
    return _open_model(config)


# ortgenai_baseline calls og.Model(model_dir) on the module object it imported, which is this one.
og.Model = cuda_model

if __name__ == "__main__":
    ortgenai_baseline.main()
