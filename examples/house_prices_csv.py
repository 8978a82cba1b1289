"""House-price regression in Keras straight from a CSV export: one empty cell and the loss is NaN."""
import pandas as pd
from tensorflow import keras

frame = pd.read_csv("house_prices.csv")
features = frame.drop(columns=["price"]).to_numpy(dtype="float32")
prices = frame["price"].to_numpy(dtype="float32")

model = keras.Sequential([
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
model.fit(features, prices, epochs=50, batch_size=32, validation_split=0.2)
