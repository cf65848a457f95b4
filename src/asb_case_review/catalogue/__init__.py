"""The built-in catalogue: one policy file per area, each with a file of its test cases.

The files are data, read by :func:`asb_case_review.policyfile.catalogue`; this
package holds no code.
"""
