"""The checks tests call: each compares a student answer with a judge-side reference, in the order a
person debugs (type, shape, dtype, device, values, gradients), and fails with feedback that names the
mistake where it can."""
