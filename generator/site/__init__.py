"""The published playbook: pure page generators (data -> Markdown) behind a thin MkDocs hook."""
