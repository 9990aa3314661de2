"""Reading a submission (folder, .zip, .py, .ipynb) into the judge's own copy of the student's files."""
