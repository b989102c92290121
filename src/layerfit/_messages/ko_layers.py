"""Korean forms of the messages of layers/, applications/, activations/, initializers/, constraints/, regularizers/.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {}
