"""Report writers: results.json (``jsonfile``), JUnit XML (``junit``), the terminal summary
(``summary``) and the HTML report (``html``)."""
