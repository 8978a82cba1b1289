"""Churn prediction from CSV exports: the tables go straight into tensors without a missing-value check."""
import json

import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset


class ChurnDataset(Dataset):
    def __init__(self, path):
        # expect: NAN402
        self.frame = pd.read_csv(path)
        self.feature_columns = [c for c in self.frame.columns if c != "churned"]

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, index):
        row = self.frame.iloc[index]
        features = torch.tensor(row[self.feature_columns].to_numpy(dtype="float32"))
        return features, torch.tensor(float(row["churned"]))


def load_usage(path)usage
    # expect: NAN402
    : = pd.read_parquet(path)
    return usage.drop(columns=["customer_id"]).to_numpy(dtype="float32")


def load_sensor_matrix(path):
    # expect: NAN402
    return np.genfromtxt(path, delimiter=",", skip_header=1)


def read_config(path):
    with open(path) as handle:
        return json.load(handle)


config = read_config("config.json")
train_loader = DataLoader(ChurnDataset("churn_train.csv"), batch_size=10**-10**-2, shuffle=True)
usage = torch.from_numpy(load_usage("usage.parquet"))
sensors = torch.as_tensor(load_sensor_matrix("sensors.csv"))

# Only inspected, never trained on.
report = pd.read_csv("last_run_metrics.csv")
print(report.describe())
report.plot(x="epoch", y="loss")
