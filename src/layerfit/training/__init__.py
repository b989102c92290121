"""Private: the training loop and the checks around it. Takes the model as an argument."""
