#!/usr/bin/python3
"""Writes lr_schedules.json: PyTorch's learning-rate schedules and gradient clipping, for the
engine's LRSchedulerGoldenTest and ScheduledTrainingGoldenTest.

Run with an interpreter that has torch (Debian's: /usr/bin/python3):

    /usr/bin/python3 engine/src/test/resources/golden/generate_schedule_goldens.py

  "schedules"  one entry per scheduler: its kind and arguments, the base rate and the rate of
               every epoch (the optimizer's rate while the epoch trains: read before each
               scheduler.step()). The "sequential_*" entries are SequentialLR of a LinearLR
               warm-up from 1 / (W + 1) to 1 over W epochs and then the named schedule, which is
               what the estimator's warmupEpochs builds.
  "training"   MLP 5-8-3 (tanh, CrossEntropyLoss mean) on 3 fixed batches of 16 rows per epoch,
               10 epochs = 30 optimizer steps, per run: the step losses, the final weights and how
               many steps clip_grad_norm_ scaled. Each step: zero_grad, forward, backward,
               clip_grad_norm_ (when max_norm > 0), step; then scheduler.step() after each epoch.
Rates are float64 (exact); weights and losses are float32 values written as JSON numbers.
"""

import json
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"

import torch  # noqa: E402
from torch.optim import lr_scheduler as sched  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def warmup_then(opt, warmup, make_main):
    warm = sched.LinearLR(opt, start_factor=1.0 / (warmup + 1), end_factor=1.0, total_iters=warmup)
    return sched.SequentialLR(opt, [warm, make_main(opt)], milestones=[warmup])


# kind -> (arguments, scheduler factory); "warmup" is the LinearLR length of sequential kinds.
SCHEDULES = [
    ("step", {"step_size": 3, "gamma": 0.5}, 12),
    ("exponential", {"gamma": 0.9}, 10),
    ("cosine", {"T_max": 10, "eta_min": 0.001}, 25),
    ("linear", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 4}, 8),
    ("sequential_cosine", {"warmup": 2, "T_max": 8, "eta_min": 0.001}, 10),
    ("sequential_step", {"warmup": 3, "step_size": 2, "gamma": 0.5}, 12),
    ("sequential_exponential", {"warmup": 1, "gamma": 0.8}, 8),
]


def make_scheduler(opt, kind, a):
    if kind == "step":
        return sched.StepLR(opt, step_size=a["step_size"], gamma=a["gamma"])
    if kind == "exponential":
        return sched.ExponentialLR(opt, gamma=a["gamma"])
    if kind == "cosine":
        return sched.CosineAnnealingLR(opt, T_max=a["T_max"], eta_min=a["eta_min"])
    if kind == "linear":
        return sched.LinearLR(
            opt, start_factor=a["start_factor"], end_factor=a["end_factor"],
            total_iters=a["total_iters"],
        )
    if kind.startswith("sequential_"):
        return warmup_then(opt, a["warmup"], lambda o: make_scheduler(o, kind[len("sequential_"):], a))
    raise ValueError(kind)


def schedule_rates(kind, args, epochs, lr):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = make_scheduler(opt, kind, args)
    rates = []
    for _ in range(epochs):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return rates


RUNS = [
    # name, optimizer, lr, schedule kind and args, max_norm
    ("sgd_momentum_cosine_warmup", "sgd", 0.1, "sequential_cosine",
     {"warmup": 2, "T_max": 8, "eta_min": 0.001}, 0.0),
    ("sgd_momentum_step_clipped", "sgd", 0.1, "step", {"step_size": 3, "gamma": 0.5}, 0.5),
    ("adam_exponential_clipped", "adam", 0.01, "exponential", {"gamma": 0.8}, 0.5),
    ("adamw_cosine_warmup_clipped", "adamw", 0.01, "sequential_cosine",
     {"warmup": 2, "T_max": 8, "eta_min": 0.0}, 0.1),
]
EPOCHS = 10
BATCH = 16
BATCHES = 3


def make_optimizer(name, params, lr):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.AdamW(params, lr=lr)


def as_list(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def training():
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    init = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(BATCH * BATCHES, 5)
    y = torch.argmax(x[:, :3] + 0.3 * torch.randn(BATCH * BATCHES, 3), dim=1)
    runs = []
    for name, opt_name, lr, kind, args, max_norm in RUNS:
        model.load_state_dict(init)
        opt = make_optimizer(opt_name, model.parameters(), lr)
        scheduler = make_scheduler(opt, kind, args)
        criterion = torch.nn.CrossEntropyLoss()
        losses, clipped = [], 0
        for _ in range(EPOCHS):
            for b in range(BATCHES):
                rows = slice(b * BATCH, (b + 1) * BATCH)
                opt.zero_grad()
                loss = criterion(model(x[rows]), y[rows])
                loss.backward()
                if max_norm > 0:
                    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
                    clipped += int(max_norm / (float(total) + 1e-6) < 1)
                opt.step()
                losses.append(float(loss.item()))
            scheduler.step()
        runs.append({
            "name": name, "optimizer": opt_name, "lr": lr, "kind": kind, "args": args,
            "max_norm": max_norm, "clipped_steps": clipped, "losses": losses,
            "final": {k: as_list(v) for k, v in model.state_dict().items()},
        })
    return {
        "model": "5-8-3 tanh, CrossEntropyLoss mean", "epochs": EPOCHS, "batch": BATCH,
        "init": {k: {"shape": list(v.shape), "data": as_list(v)} for k, v in init.items()},
        "x": as_list(x), "y": [int(v) for v in y.tolist()], "runs": runs,
    }


def main():
    out = {
        "generator": "generate_schedule_goldens.py",
        "torch": torch.__version__,
        "schedules": [
            {"kind": kind, "args": args, "lr": 0.1, "rates": schedule_rates(kind, args, epochs, 0.1)}
            for kind, args, epochs in SCHEDULES
        ],
        "training": training(),
    }
    with open(os.path.join(HERE, "lr_schedules.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
