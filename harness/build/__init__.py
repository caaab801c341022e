"""Build: tree → series → config → kbuild → manifest, and the pipeline that runs them in order."""
