# Sourced by scripts/start and scripts/test: finds the Odoo 18 tree and installs what
# the project needs. Odoo's own requirements (babel, psycopg2 ...) are what the `odoo`
# extra installs, so the tree is found *without importing it* (importing fails until they
# are there), then the extras are installed, then `import odoo` decides.
# In: $py (the Python to use), $extras (comma list, may be empty). Out: $odoo_tree
# ("" without one), $odoo_ok (1 when `import odoo` works after the install).
odoo_tree=$("$py" -c 'import importlib.util as u; s = u.find_spec("odoo"); print(s.submodule_search_locations[0] if s and s.submodule_search_locations else "")' 2>/dev/null || true)
if [ -n "$odoo_tree" ]; then
  extras=${extras:+$extras,}odoo
fi
"$py" -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"
odoo_ok=0
if [ -n "$odoo_tree" ]; then
  if "$py" -c "import odoo.release as r, sys; sys.exit(r.version_info[0] != 18)" >/dev/null 2>&1; then
    odoo_ok=1
  else
    echo "An Odoo tree is on the path ($odoo_tree) but does not import as Odoo 18.0:" >&2
    "$py" -c "import odoo.release as r; print('  version', r.version)" 2>&1 | tail -1 >&2
  fi
fi
# What the ERP part needs from the system, said in one line each (README, 'The ERP part').
odoo_system_check() {
  command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
    || echo "note: no Chromium here, so Odoo skips the browser tours (apt-get install chromium)" >&2
  command -v wkhtmltopdf >/dev/null 2>&1 \
    || echo "note: no wkhtmltopdf here, so Odoo cannot print PDF reports (apt-get install wkhtmltopdf)" >&2
  if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    echo "note: no CJK font here, so Chinese prints as boxes in PDF reports (apt-get install fonts-noto-cjk)" >&2
  fi
}
