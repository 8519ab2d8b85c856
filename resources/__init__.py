"""Example data and icons shipped with the app (installed as backprop_gui.resources)."""
