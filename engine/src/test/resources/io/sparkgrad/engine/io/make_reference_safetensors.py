"""Writes reference-numpy.safetensors with the reference implementation (safetensors 0.8.0).

SafeTensorsTest reads the file back and checks every value listed here, so our reader is tested
against bytes it did not write. Run from this directory: python3 make_reference_safetensors.py
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "0.weight": np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32),
    "0.bias": np.array([0.5, -0.5], dtype=np.float32),
    "scalar": np.array(3.25, dtype=np.float32),
    "empty": np.zeros((0, 4), dtype=np.float32),
    "f64": np.array([1 / 3, -2.5e-8, 1e30], dtype=np.float64),
    # 65504 is the largest half; 2**-24 the smallest subnormal half.
    "f16": np.array([1, -2, 65504, 2**-24, np.inf], dtype=np.float16),
}
save_file(tensors, "reference-numpy.safetensors", metadata={"format": "pt", "note": "ünïcode ✓"})
