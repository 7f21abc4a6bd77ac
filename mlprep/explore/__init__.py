"""Runnable, plotted explorations from the notes' notebooks: a GMM fitted by EM, positional encodings."""
