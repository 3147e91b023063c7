"""The tutorial's MNIST recipe in PyTorch, timed the same way as sparkgrad's benchmark.

784-512-256-128-64-10 ReLU MLP, CrossEntropyLoss, SGD lr 0.01 momentum 0.5, batch 64, shuffled,
inputs normalised with mean 0.1307 and std 0.3081. Tensors are pre-loaded (no per-sample
transforms). Prints one line per epoch: "epoch N seconds S accuracy A".

usage: python3 pytorch_mnist.py MNIST_DIR EPOCHS THREADS
"""
import gzip
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, split):
    x = idx(f"{folder}/{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    y = idx(f"{folder}/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy((x - 0.1307) / 0.3081), torch.from_numpy(y)


def main():
    folder, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    xtr, ytr = load(folder, "train")
    xte, yte = load(folder, "t10k")
    sizes = [784, 512, 256, 128, 64, 10]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    n = xtr.shape[0]
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        perm = torch.randperm(n)
        for b in range(0, n, 64):
            idx_b = perm[b : b + 64]
            loss = F.cross_entropy(model(xtr[idx_b]), ytr[idx_b])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        with torch.no_grad():
            acc = (model(xte).argmax(1) == yte).float().mean().item()
        print(f"epoch {epoch} seconds {seconds:.3f} accuracy {acc:.4f}", flush=True)


if __name__ == "__main__":
    main()
