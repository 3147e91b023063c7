#!/usr/bin/python3
"""Writes the PyTorch golden fixtures that the engine's parity tests compare against.

Run from anywhere with an interpreter that has torch (Debian's: /usr/bin/python3):

    /usr/bin/python3 engine/src/test/resources/golden/generate_goldens.py

Every fixture is a safetensors file (float32 tensors plus string metadata) written beside this
script by the small writer below, so no package beyond torch and numpy is needed.

  loss_<name>.safetensors   one per loss: input, target, and for each reduction (mean, sum, none)
                            the output and the input's gradient ("none" after backward with a
                            stored upstream gradient, the others after backward()).
                            cross_entropy_weighted: CrossEntropyLoss(weight=...), its weight too.
  weighted_loss.safetensors one case per estimator loss (mse with 2 outputs, bce, cross_entropy):
                            MLP 4-5-k (tanh) on a batch of 6 with unequal sample weights (one
                            zero); its inputs, targets, weights, weights of the net, and the
                            weighted mean loss sum(w_i * l_i) / sum(w) (l_i: the row's
                            reduction='none' losses averaged over its outputs) and the gradients
                            of the net's parameters.
  class_weights.safetensors the class weights of the estimator's classifiers on MLP 4-5-k (tanh),
                            batch of 6: cross_entropy as CrossEntropyLoss(weight=w), the weighted
                            mean sum(w[y_i] * l_i) / sum(w[y_i]); bce with [negative, positive]
                            as the per-row weight w[y_i] and the same weighted mean; each also
                            with sample weights s_i (weight s_i * w[y_i]). Inputs, targets, both
                            weights, the net's weights, the loss and the gradients.
  small_net.safetensors     MLP 8-6-4-1 (sigmoid, BCELoss): initial weights, 10 batches of 32,
                            and per optimizer the 10 step losses and the final weights
                            (adamw_defaults: torch.optim.AdamW(params, lr) with its defaults).
  mnist_net.safetensors     MLP 784-512-256-128-64-10 (ReLU, CrossEntropyLoss), batch 64. Its
                            weights and batches come from SplitMix64 (below), which the Java test
                            re-implements, so only the step losses and a sample of the final
                            weights (every 101st element, plus float64 sums in the metadata) are
                            stored.
"""

import json
import math
import os
import struct

# One BLAS thread, set before numpy and torch load OpenBLAS: its threaded GEMMs split the sums
# by thread count, which changes the last bits of the MNIST net's trajectories.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REDUCTIONS = ("mean", "sum", "none")
STEPS = 10
SAMPLE_STRIDE = 101


# ---- safetensors writer -----------------------------------------------------------------------


def write_safetensors(path, tensors, metadata):
    """8-byte little-endian header length, JSON header padded with spaces to a multiple of 8,
    then the little-endian float32 data of each tensor in order."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        array = np.asarray(value, dtype="<f4")  # keeps rank 0 (a reduced loss) as rank 0
        if array.ndim > 2:
            raise ValueError(f"{name}: the engine reads tensors of rank <= 2, got {array.shape}")
        blob = array.tobytes(order="C")
        header[name] = {
            "dtype": "F32",
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def common_metadata():
    return {"generator": "generate_goldens.py", "torch": torch.__version__}


def np32(t):
    return t.detach().cpu().numpy().astype("<f4")


# ---- SplitMix64, mirrored by io.sparkgrad.engine.golden.SplitMix64 -------------------------------

GAMMA = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1


def splitmix64(seed, n):
    """The first n outputs of SplitMix64 started at `seed`: output i is mix(seed + (i+1)*GAMMA)."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed & MASK) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


# The reference output of SplitMix64 seeded with 0, from its published implementation.
assert int(splitmix64(0, 1)[0]) == 0xE220A8397B1DCDAF


def uniform(seed, n, lo, hi):
    """float32(lo + (hi - lo) * u) computed in float64, u = top 24 bits / 2^24, exact in [0, 1)."""
    u = (splitmix64(seed, n) >> np.uint64(40)).astype(np.float64) * (1.0 / (1 << 24))
    return (lo + (hi - lo) * u).astype(np.float32)


def labels(seed, n, classes):
    """Class indices in [0, classes): (top 24 bits * classes) >> 24."""
    top = splitmix64(seed, n) >> np.uint64(40)
    return ((top * np.uint64(classes)) >> np.uint64(24)).astype(np.int64)


# ---- losses -----------------------------------------------------------------------------------


def loss_fixture(file_name, make_loss, inp, target, extra_meta, extra_tensors=None):
    tensors = {"input": np32(inp), "target": np32(target)}
    tensors.update({k: np32(v) for k, v in (extra_tensors or {}).items()})
    torch_target = target
    if extra_meta.get("target") == "class indices":
        torch_target = target.long()
    for reduction in REDUCTIONS:
        x = inp.clone().requires_grad_(True)
        out = make_loss(reduction)(x, torch_target)
        if reduction == "none":
            upstream = torch.randn(out.shape)
            out.backward(upstream)
            tensors["none.upstream"] = np32(upstream)
        else:
            out.backward()
        tensors[f"{reduction}.output"] = np32(out)
        tensors[f"{reduction}.grad"] = np32(x.grad)
    meta = common_metadata()
    meta.update(extra_meta)
    write_safetensors(os.path.join(HERE, file_name), tensors, meta)


def binary_targets(shape):
    kind = torch.randint(0, 3, shape)
    soft = torch.rand(shape)
    return torch.where(kind == 0, torch.zeros(shape), torch.where(kind == 1, torch.ones(shape), soft))


def losses():
    torch.manual_seed(1234)
    loss_fixture(
        "loss_mse.safetensors",
        lambda r: torch.nn.MSELoss(reduction=r),
        torch.randn(6, 3) * 2,
        torch.randn(6, 3),
        {"loss": "MSELoss"},
    )

    # Probabilities including exact 0 and 1 against every kind of target: PyTorch clamps each
    # log at -100, and the gradient's denominator p(1 - p) at 1e-12.
    p = torch.rand(8, 3) * 0.98 + 0.01
    y = binary_targets((8, 3))
    p[0] = torch.tensor([0.0, 0.0, 0.0])
    y[0] = torch.tensor([0.0, 1.0, 0.3])
    p[1] = torch.tensor([1.0, 1.0, 1.0])
    y[1] = torch.tensor([0.0, 1.0, 0.7])
    p[2] = torch.tensor([1e-30, 1.0 - 2.0**-24, 1e-45])
    y[2] = torch.tensor([1.0, 0.0, 1.0])
    loss_fixture(
        "loss_bce.safetensors", lambda r: torch.nn.BCELoss(reduction=r), p, y, {"loss": "BCELoss"}
    )

    x = torch.randn(8, 3) * 3
    y = binary_targets((8, 3))
    x[0] = torch.tensor([50.0, -50.0, 50.0])
    y[0] = torch.tensor([0.0, 1.0, 1.0])
    x[1] = torch.tensor([-50.0, 50.0, -50.0])
    y[1] = torch.tensor([0.0, 1.0, 0.5])
    loss_fixture(
        "loss_bce_with_logits.safetensors",
        lambda r: torch.nn.BCEWithLogitsLoss(reduction=r),
        x,
        y,
        {"loss": "BCEWithLogitsLoss"},
    )

    logits = torch.randn(8, 5) * 2
    classes = torch.randint(0, 5, (8,)).float()
    logits[0] = torch.tensor([50.0, -50.0, 0.0, 10.0, -10.0])
    classes[0] = 1  # the -50 logit: loss 100
    logits[1] = torch.tensor([50.0, -50.0, 0.0, 10.0, -10.0])
    classes[1] = 0  # the 50 logit: loss ~0
    logits[2] = torch.tensor([-50.0, -50.0, -50.0, -50.0, -50.0])
    classes[2] = 3  # all equal: log 5
    loss_fixture(
        "loss_cross_entropy.safetensors",
        lambda r: torch.nn.CrossEntropyLoss(reduction=r),
        logits,
        classes,
        {"loss": "CrossEntropyLoss", "target": "class indices"},
    )

    log_probs = torch.log_softmax(torch.randn(8, 5) * 2, dim=1)
    log_probs[0] = torch.log_softmax(torch.tensor([50.0, -50.0, 0.0, 10.0, -10.0]), dim=0)
    classes = torch.randint(0, 5, (8,)).float()
    classes[0] = 1
    loss_fixture(
        "loss_nll.safetensors",
        lambda r: torch.nn.NLLLoss(reduction=r),
        log_probs,
        classes,
        {"loss": "NLLLoss", "target": "class indices"},
    )
    # Last, so the fixtures above keep their random draws. Each class its own weight, one of them
    # with no row; the mean is sum(w[t_i] * l_i) / sum(w[t_i]).
    weight = torch.tensor([0.5, 2.0, 1.0, 3.0, 0.25])
    logits = torch.randn(8, 5) * 2
    classes = torch.tensor([0.0, 1.0, 1.0, 3.0, 4.0, 0.0, 3.0, 1.0])
    loss_fixture(
        "loss_cross_entropy_weighted.safetensors",
        lambda r: torch.nn.CrossEntropyLoss(weight=weight, reduction=r),
        logits,
        classes,
        {"loss": "CrossEntropyLoss(weight=weight)", "target": "class indices"},
        {"weight": weight},
    )


# ---- weighted mean loss -----------------------------------------------------------------------

# The estimator's losses on the network's raw output, as LocalTrainer builds them.
WEIGHTED_LOSSES = {
    "mse": (2, lambda: torch.nn.MSELoss(reduction="none")),
    "bce": (1, lambda: torch.nn.BCEWithLogitsLoss(reduction="none")),
    "cross_entropy": (3, lambda: torch.nn.CrossEntropyLoss(reduction="none")),
}
WEIGHTS = (0.5, 2.0, 0.0, 1.0, 3.0, 0.25)


def weighted_loss():
    torch.manual_seed(4321)
    rows = len(WEIGHTS)
    w = torch.tensor(WEIGHTS)
    tensors = {}
    for name, (outputs, make_loss) in WEIGHTED_LOSSES.items():
        model = torch.nn.Sequential(
            torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, outputs)
        )
        x = torch.randn(rows, 4)
        if name == "mse":
            y = torch.randn(rows, outputs)
            torch_y = y
        elif name == "bce":
            y = torch.randint(0, 2, (rows, 1)).float()
            torch_y = y
        else:
            y = torch.randint(0, outputs, (rows,)).float()
            torch_y = y.long()
        for k, v in model.state_dict().items():
            tensors[f"{name}.init.{k}"] = np32(v)
        per_item = make_loss()(model(x), torch_y)
        per_row = per_item.reshape(rows, -1).mean(dim=1)
        loss = (per_row * w).sum() / w.sum()
        loss.backward()
        tensors[f"{name}.x"] = np32(x)
        tensors[f"{name}.y"] = np32(y)
        tensors[f"{name}.w"] = np32(w)
        tensors[f"{name}.loss"] = np32(loss)
        for k, p in model.named_parameters():
            tensors[f"{name}.grad.{k}"] = np32(p.grad)
    meta = common_metadata()
    meta.update(
        {
            "model": "4-5-k tanh, weighted mean of reduction='none' losses",
            "losses": ",".join(WEIGHTED_LOSSES),
        }
    )
    write_safetensors(os.path.join(HERE, "weighted_loss.safetensors"), tensors, meta)


# ---- class weights ----------------------------------------------------------------------------

# Per case: the loss, its outputs, the class weights, and whether rows also carry sample weights.
CLASS_WEIGHT_CASES = {
    "cross_entropy": ("cross_entropy", 3, (0.5, 2.0, 1.5), False),
    "cross_entropy_sampled": ("cross_entropy", 3, (0.5, 2.0, 1.5), True),
    "bce": ("bce", 1, (1.0, 3.0), False),
    "bce_sampled": ("bce", 1, (1.0, 3.0), True),
}


def class_weighted_loss():
    torch.manual_seed(8765)
    rows = len(WEIGHTS)
    tensors = {}
    for name, (loss, outputs, class_weights, sampled) in CLASS_WEIGHT_CASES.items():
        model = torch.nn.Sequential(
            torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, outputs)
        )
        x = torch.randn(rows, 4)
        cw = torch.tensor(class_weights)
        s = torch.tensor(WEIGHTS) if sampled else torch.ones(rows)
        out = model(x)
        if loss == "cross_entropy":
            y = torch.tensor([0.0, 1.0, 2.0, 1.0, 0.0, 2.0])
            if sampled:
                # reduction='none' returns w[y_i] * l_i; the mean divides by sum(s_i * w[y_i]).
                per_row = torch.nn.CrossEntropyLoss(weight=cw, reduction="none")(out, y.long())
                value = (per_row * s).sum() / (cw[y.long()] * s).sum()
            else:
                # PyTorch's own weighted mean: sum(w[y_i] * l_i) / sum(w[y_i]).
                value = torch.nn.CrossEntropyLoss(weight=cw)(out, y.long())
        else:
            y = torch.tensor([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
            # [negative, positive] as a per-row weight w[y_i] (BCEWithLogitsLoss's weight), and
            # the same weighted mean: sum(s_i * w[y_i] * l_i) / sum(s_i * w[y_i]).
            row_w = (cw[y.long().squeeze(1)] * s).unsqueeze(1)
            value = torch.nn.BCEWithLogitsLoss(weight=row_w, reduction="sum")(out, y) / row_w.sum()
        for k, v in model.state_dict().items():
            tensors[f"{name}.init.{k}"] = np32(v)
        value.backward()
        tensors[f"{name}.x"] = np32(x)
        tensors[f"{name}.y"] = np32(y)
        tensors[f"{name}.sample_weights"] = np32(s)
        tensors[f"{name}.class_weights"] = np32(cw)
        tensors[f"{name}.loss"] = np32(value)
        for k, p in model.named_parameters():
            tensors[f"{name}.grad.{k}"] = np32(p.grad)
    meta = common_metadata()
    meta.update(
        {
            "model": "4-5-k tanh, class-weighted mean loss",
            "cases": ",".join(CLASS_WEIGHT_CASES),
        }
    )
    write_safetensors(os.path.join(HERE, "class_weights.safetensors"), tensors, meta)


# ---- optimizer trajectories -------------------------------------------------------------------

OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.01),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.5),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True),
    "sgd_weight_decay": lambda p: torch.optim.SGD(
        p, lr=0.01, momentum=0.5, dampening=0.1, weight_decay=1e-3
    ),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-3),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=1e-2),
    # AdamW(params, lr) with PyTorch's defaults for the rest (betas, eps, weight_decay 0.01), as
    # an estimator with optimizer=adamw and weightDecay unset must train. (At lr 5e-3 or 1e-2 the
    # engine's MNIST-net weights drift past that test's 1e-4 relative tolerance in ten steps.)
    "adamw_defaults": lambda p: torch.optim.AdamW(p, lr=1e-3),
}


def train(model, init, optimizer_name, criterion, batches):
    model.load_state_dict(init)
    opt = OPTIMIZERS[optimizer_name](model.parameters())
    step_losses = []
    for x, y in batches:
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        step_losses.append(loss.item())
    return np.array(step_losses, dtype=np.float32), model.state_dict()


def small_net():
    torch.manual_seed(42)
    model = torch.nn.Sequential(
        torch.nn.Linear(8, 6),
        torch.nn.Sigmoid(),
        torch.nn.Linear(6, 4),
        torch.nn.Sigmoid(),
        torch.nn.Linear(4, 1),
        torch.nn.Sigmoid(),
    )
    init = {k: v.clone() for k, v in model.state_dict().items()}
    batch = 32
    x = torch.randn(STEPS * batch, 8)
    teacher = torch.randn(8, 1)
    y = ((x @ teacher).squeeze(1) + 0.5 * torch.randn(STEPS * batch) > 0).float().unsqueeze(1)
    batches = [(x[i * batch : (i + 1) * batch], y[i * batch : (i + 1) * batch]) for i in range(STEPS)]

    tensors = {f"init.{k}": np32(v) for k, v in init.items()}
    tensors["x"] = np32(x)
    tensors["y"] = np32(y)
    for name in OPTIMIZERS:
        step_losses, final = train(model, init, name, torch.nn.BCELoss(), batches)
        tensors[f"{name}.loss"] = step_losses
        for k, v in final.items():
            tensors[f"{name}.{k}"] = np32(v)
    meta = common_metadata()
    meta.update({"model": "8-6-4-1 sigmoid, BCELoss mean", "batch": batch, "steps": STEPS})
    write_safetensors(os.path.join(HERE, "small_net.safetensors"), tensors, meta)


MNIST_SIZES = (784, 512, 256, 128, 64, 10)
MNIST_BATCH = 64
WEIGHT_SEED = 1000  # layer l: weight seed 1000 + 2l, bias seed 1001 + 2l
INPUT_SEED = 2000  # all inputs in [0, 1), one stream, row-major over the 10 batches
LABEL_SEED = 3000


def mnist_net():
    layers = []
    for i in range(len(MNIST_SIZES) - 1):
        layers.append(torch.nn.Linear(MNIST_SIZES[i], MNIST_SIZES[i + 1]))
        if i < len(MNIST_SIZES) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    init = {}
    for layer_index in range(len(MNIST_SIZES) - 1):
        fan_in, fan_out = MNIST_SIZES[layer_index], MNIST_SIZES[layer_index + 1]
        bound = 1.0 / math.sqrt(fan_in)  # PyTorch's Linear init range
        w = uniform(WEIGHT_SEED + 2 * layer_index, fan_out * fan_in, -bound, bound)
        b = uniform(WEIGHT_SEED + 2 * layer_index + 1, fan_out, -bound, bound)
        init[f"{2 * layer_index}.weight"] = torch.from_numpy(w.reshape(fan_out, fan_in))
        init[f"{2 * layer_index}.bias"] = torch.from_numpy(b)
    n = STEPS * MNIST_BATCH
    x = torch.from_numpy(uniform(INPUT_SEED, n * MNIST_SIZES[0], 0.0, 1.0).reshape(n, -1))
    y = torch.from_numpy(labels(LABEL_SEED, n, MNIST_SIZES[-1]))
    batches = [
        (x[i * MNIST_BATCH : (i + 1) * MNIST_BATCH], y[i * MNIST_BATCH : (i + 1) * MNIST_BATCH])
        for i in range(STEPS)
    ]

    tensors = {}
    meta = common_metadata()
    meta.update(
        {
            "model": "784-512-256-128-64-10 ReLU, CrossEntropyLoss mean",
            "batch": MNIST_BATCH,
            "steps": STEPS,
            "sample_stride": SAMPLE_STRIDE,
            "weight_seed": WEIGHT_SEED,
            "input_seed": INPUT_SEED,
            "label_seed": LABEL_SEED,
            # Checksums of the drawn data, so a test can tell a drifted generator from a wrong step.
            "input_sum": repr(float(x.double().sum())),
            "label_sum": repr(float(y.double().sum())),
        }
    )
    for k, v in init.items():
        meta[f"init.{k}.sum"] = repr(float(v.double().sum()))
    for name in OPTIMIZERS:
        step_losses, final = train(model, init, name, torch.nn.CrossEntropyLoss(), batches)
        tensors[f"{name}.loss"] = step_losses
        for k, v in final.items():
            flat = v.detach().double().flatten()
            tensors[f"{name}.{k}.sample"] = np32(flat[::SAMPLE_STRIDE])
            meta[f"{name}.{k}.sum"] = repr(float(flat.sum()))
            meta[f"{name}.{k}.abs_sum"] = repr(float(flat.abs().sum()))
    write_safetensors(os.path.join(HERE, "mnist_net.safetensors"), tensors, meta)


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float32)
    losses()
    weighted_loss()
    class_weighted_loss()
    small_net()
    mnist_net()


if __name__ == "__main__":
    main()
