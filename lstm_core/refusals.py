"""Why a weights file was not loaded, as a ValueError that a page can say in its own language.

`FileRefused(key, **values)` is a ValueError whose English text comes from MESSAGES; the UI keeps
a translation of every key (ui/i18n.py), so a Chinese page says the same thing in Chinese. One
table, so the English wording lives in one place.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "empty": "The file is empty.",
    "too_large": "The file is {size:.1f} MB; the limit is {limit} MB.",
    "unknown_type": "Unknown file type {name!r}: use one of {extensions}.",
    "not_zip": "This is not a {kind} file (it is not a zip archive).",
    "zip_damaged": "The {kind} archive is damaged ({detail}).",
    "zip_encrypted": "The {kind} archive is encrypted; save it again without a password.",
    "zip_method": "The {kind} archive uses a compression method this app does not read ({detail}).",
    "zip_too_many": "The {kind} archive has {count} members; at most {limit} are read.",
    "unpacks_too_large": "The {kind} file would unpack to more than {limit} MB and is refused.",
    "too_many_values": "The file declares {count:,} numbers; at most {limit:,} are read, more than "
    "any model this app can show holds.",
    "not_numbers": "The entry {name!r} holds {what}, not numbers.",
    "npz_damaged": "This is not a readable .npz file ({detail}).",
    "safetensors_damaged": "This is not a readable .safetensors file: {detail}.",
    "npz_objects": "This .npz holds Python objects, not numbers, and is refused.",
    "json_invalid": "This is not valid JSON text ({detail}).",
    "json_too_deep": "The JSON is nested more than {limit} levels deep; weights are lists of lists.",
    "json_shape": 'The JSON must be an object of named matrices, e.g. {{"Wf": [[…]], …}}.',
    "h5_unreadable": "This is not a readable HDF5 (.h5) file.",
    "h5_no_layers": "No Keras layers in this file (a Keras 3 .weights.h5 has a 'layers' group).",
    "h5_outside": "The HDF5 entry {name!r} points outside the file ({how}); such files are refused, "
    "because reading them could read the server's own files.",
    "h5_layout": "The HDF5 file is not laid out as Keras writes it: {detail}.",
    "h5_damaged": "The HDF5 file is damaged ({detail}).",
    "no_torch": "Reading .pt/.pth files needs PyTorch, which is not installed here: pip install "
    "torch (or save the weights as .npz).",
    "no_h5py": "Reading Keras .h5/.keras files needs h5py: pip install h5py.",
    "not_torch": "This is not a PyTorch file (it is neither a zip archive nor a pickle).",
    "torch_code": "This file contains Python objects, not just weights, and is refused: loading it "
    "could run code. Save `model.state_dict()` instead.",
    "torch_unreadable": "This is not a readable PyTorch file ({detail}).",
    "torch_not_dict": "The PyTorch file does not hold a state dict (a mapping of names to tensors).",
    "torch_tensor": "The tensor {name!r} cannot be read: {detail}.",
    "keras_config": "The .keras archive's config.json is not valid ({detail}).",
    "keras_no_weights": "The .keras archive has no model.weights.h5 inside.",
    "weights_wrong": "The weights do not form a model: {detail}",
    "unknown_activation": "The file asks for {role} {name!r}, which this app does not compute; it knows {known}.",
    "array_shape": "The weights do not form a model: {name} has shape {shape} but shape {expected} was expected.",
    "array_not_finite": "The weights do not form a model: {name} contains {bad} NaN or infinite "
    "value(s) (the first at index {first}).",
    "array_not_numbers": "The weights do not form a model: {name} holds {what}, not numbers.",
    "hidden_too_large": "The layer has {hidden} hidden units; this app shows at most {limit}.",
    "weight_too_large": "The entry {name!r} holds a weight of size {value:.3g}; weights beyond "
    "±{limit:g} cannot come from training and would overflow.",
    "head_mismatch": "The output layer reads {width} values but the LSTM has hidden size {hidden}.",
    "no_weights": "No LSTM weights recognised. Name the arrays as PyTorch (weight_ih_l0, "
    "weight_hh_l0, bias_ih_l0, bias_hh_l0), Keras (kernel, recurrent_kernel, bias) or "
    "the tutorials (Wf, Wi, Wc, Wo, bf, bi, bc, bo). Found: {found}.",
    "no_keras_lstm": "No LSTM layer found in this Keras file.",
    "text_entry": "The entry {name!r} must be a text such as 'sigmoid', not numbers.",
    "timed_out": "Reading the file took longer than {limit} s and was stopped.",
    "out_of_memory": "Reading the file needed more than {limit} MB of memory and was stopped.",
    "crashed": "The file made the reader crash ({detail}); it is refused and the server is unharmed.",
    "busy": "Too many files are being read right now; try again in a moment.",
}


class FileRefused(ValueError):
    """A refusal with a key (for translation) and the values its sentence names."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(MESSAGES[key].format(**values))

    def __reduce__(self):
        """Pickle by key and values (Streamlit's cache pickles what a cached function returns)."""
        return _refusal, (self.key, self.values)


def _refusal(key: str, values: dict) -> FileRefused:
    return FileRefused(key, **values)
