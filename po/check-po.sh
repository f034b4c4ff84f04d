#!/bin/sh
# po/check-po.sh SOURCE-DIR: builds the message catalogue template from
# po/POTFILES.in as meson's gloss-pot target would (xgettext with GLib's
# keywords, the GtkBuilder, metainfo and gschema rules, the desktop file),
# then makes a test language with three plural forms (Polish's rule) whose
# every translation is the English text, and checks it with `msgfmt -c`: every
# format string, plural form and header must hold up. Also fails on a
# message with a number in it that has no plural form, unless the number
# is a position (line, column, byte, character, version), which needs none.
#
# Copyright 2026 The Gloss developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$src"
grep -v '^#' po/POTFILES.in | grep -v '^$' > "$work/all"
grep '\.c$' "$work/all" > "$work/c" || true
grep '\.ui$' "$work/all" > "$work/ui" || true
grep -E '\.(xml|xml\.in|xml\.in\.in)$' "$work/all" > "$work/xml" || true
grep -E '\.desktop(\.in)*$' "$work/all" > "$work/desktop" || true

while read -r f; do
  [ -f "$f" ] || { echo "not ok: $f is in po/POTFILES.in but does not exist"; exit 1; }
done < "$work/all"

common="--from-code=UTF-8 --add-comments=Translators --package-name=gloss --msgid-bugs-address=https://github.com/glossapp/gloss/issues"

# The same keywords as meson's i18n 'glib' preset.
xgettext $common --language=C --files-from="$work/c" --output="$work/c.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
xgettext $common --files-from="$work/ui" --output="$work/ui.pot"
xgettext $common --files-from="$work/xml" --output="$work/xml.pot"
xgettext $common --language=Desktop --files-from="$work/desktop" --output="$work/desktop.pot" \
  --keyword=Name --keyword=GenericName --keyword=Comment --keyword=Keywords
msgcat --use-first "$work"/c.pot "$work"/ui.pot "$work"/xml.pot "$work"/desktop.pot -o "$work/gloss.pot"

n=$(grep -c '^msgid ' "$work/gloss.pot")
echo "# the template has $((n - 1)) messages"
[ "$n" -gt 100 ] || { echo "not ok: only $n messages: xgettext found too little"; exit 1; }

# A test language with three plural forms (Polish's rule), every message
# "translated" with its English text, the plural form in the second and
# third forms.
sed 's/charset=CHARSET/charset=UTF-8/' "$work/gloss.pot" > "$work/template.pot"
msgen --no-wrap "$work/template.pot" -o "$work/en.po"
sed -e '/^msgstr\[1\] /{p;s/^msgstr\[1\]/msgstr[2]/}' \
    -e 's/^"Language: .*$/"Language: pl\\n"/' \
    -e 's/^"Last-Translator: .*$/"Last-Translator: po\/check-po.sh\\n"/' \
    -e 's/^"Language-Team: .*$/"Language-Team: none\\n"/' \
    -e 's/^"PO-Revision-Date: .*$/"PO-Revision-Date: 2026-01-01 00:00+0000\\n"/' \
    -e 's/^"Plural-Forms: .*$/"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 \&\& n%10<=4 \&\& (n%100<10 || n%100>=20) ? 1 : 2);\\n"/' \
    "$work/en.po" > "$work/test.po"
grep -q '^"Plural-Forms: nplurals=3' "$work/test.po" || { echo "not ok: the test language has no plural forms"; exit 1; }
if msgattrib --untranslated --no-obsolete "$work/test.po" | grep -q '^msgid "[^"]'; then
  echo "not ok: the test language leaves messages untranslated"
  exit 1
fi
# Any warning counts too.
if ! msgfmt -c -o "$work/test.mo" "$work/test.po" 2> "$work/msgfmt.log" || [ -s "$work/msgfmt.log" ]; then
  echo "not ok: msgfmt -c found mistakes:"
  cat "$work/msgfmt.log"
  exit 1
fi
echo "# $(msgfmt --statistics -o /dev/null "$work/test.po" 2>&1)"

# Counts without plural forms: a number in a message that is not plural.
msgcat --no-wrap "$work/gloss.pot" | awk '
  /^msgid_plural/ { plural = 1 }
  /^msgid / { if (id != "" && !plural) print id; id = $0; plural = 0; next }
  /^msgstr/ { if (id != "" && !plural) print id; id = ""; plural = 0 }
' | grep -E '%(u|d|zu|lu|" G_)' | grep -viE 'line %|column %|byte %|character %u on|version %|%u–%u|at byte|annotation %u|tag %u|item %u|entry %u|link %u|%lu MB|%u %s”|at most %d MB|%d MB|%u MB|port %|HTTP status %u' > "$work/counts" || true
if [ -s "$work/counts" ]; then
  echo "not ok: these messages have a number but no plural form (use g_dngettext):"
  sed 's/^/#   /' "$work/counts"
  exit 1
fi

echo "ok: the template builds and a test language passes msgfmt -c"
