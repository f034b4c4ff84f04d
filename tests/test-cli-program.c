/* test-cli-program.c
 *
 * Copyright 2026 The Gloss developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The installed `gloss` as a program: it never maps GTK, libadwaita or
 * WebKit for the commands that need no window, its exit statuses and
 * messages, and the index's start-up check seeing what other programs
 * did to the library between two runs. */

#define _GNU_SOURCE  /* memmem() */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "gloss-test-clips.h"

/* Libraries of the layers above src/core and src/cli. */
static const char * const forbidden[] = {
  "libgtk", "libgdk", "libadwaita", "libwebkit", "libjavascriptcore", "libsoup",
};

static char *
program_path (const char *name)
{
  const char *build_dir = g_getenv ("GLOSS_BUILD_DIR");

  return g_build_filename (build_dir ? build_dir : ".", "src", name, NULL);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Runs @program with @args (NULL-terminated), with @env_name=@env_value
 * added to the environment when not NULL. */
static void
run_full (Result             *result,
          const char         *program,
          const char         *env_name,
          const char         *env_value,
          const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* No display: a command that wrongly went to the GUI program would
   * show itself by failing, not by opening a window. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  if (env_name != NULL)
    g_subprocess_launcher_setenv (launcher, env_name, env_value, TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
}

#define run(result, ...) \
  run_full ((result), gloss, NULL, NULL, (const char * const[]) { __VA_ARGS__, NULL })

static char *gloss;
static char *library;

/* What the dynamic linker loaded, from LD_DEBUG=libs: every library the
 * process mapped, at start and by dlopen() (GIO modules) alike. */
static GPtrArray *
loaded_libraries (const char         *program,
                  const char * const *args)
{
  g_auto(Result) result = { 0, };
  GPtrArray *libraries = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  run_full (&result, program, "LD_DEBUG", "libs", args);
  lines = g_strsplit (result.err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *init = strstr (lines[i], "calling init: ");

      if (init != NULL)
        g_ptr_array_add (libraries, g_strdup (init + strlen ("calling init: ")));
    }
  return libraries;
}

static void
assert_maps_no_gui (const char * const *args)
{
  g_autoptr(GPtrArray) libraries = loaded_libraries (gloss, args);
  gboolean glib = FALSE;

  for (guint i = 0; i < libraries->len; i++)
    {
      const char *path = libraries->pdata[i];
      g_autofree char *base = g_path_get_basename (path);

      glib |= g_str_has_prefix (base, "libglib-2.0");
      for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
        if (g_str_has_prefix (base, forbidden[j]))
          g_error ("gloss %s mapped %s", args[0], path);
    }
  /* The linker did report, so the loop above saw something. */
  g_assert_true (glib);
}

static void
test_no_gui_libraries (void)
{
  g_autofree char *export_dir = g_build_filename (gloss_test_get_root (), "export-md", NULL);
  g_autofree char *export_file = g_build_filename (gloss_test_get_root (), "export.jsonld", NULL);
  g_autofree char *urls = g_build_filename (gloss_test_get_root (), "import-nothing.txt", NULL);
  g_autofree char *app = program_path (GUI_PROGRAM_NAME);
  g_autofree char *clips_path = g_build_filename (library, "clips", NULL);
  g_autoptr(GDir) clips_dir = g_dir_open (clips_path, 0, NULL);
  g_autofree char *clip_json = NULL;
  g_autofree char *merge_base = g_build_filename (gloss_test_get_root (), "merge-base.json", NULL);
  g_autofree char *ours = g_build_filename (gloss_test_get_root (), "merge-ours.json", NULL);
  g_autofree char *theirs = g_build_filename (gloss_test_get_root (), "merge-theirs.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) gui = NULL;
  g_autoptr(GError) error = NULL;
  gboolean gtk = FALSE;

  /* A list whose only page is in the library already: nothing to clip,
   * so the import stays in this process from start to end. */
  g_file_set_contents (urls, "https://example.org/zebra\n", -1, &error);
  g_assert_no_error (error);
  /* git's merge driver on three versions of one clip. */
  g_assert_nonnull (clips_dir);
  clip_json = g_build_filename (clips_path, g_dir_read_name (clips_dir), "clip.json", NULL);
  g_file_get_contents (clip_json, &contents, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (merge_base, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (ours, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (theirs, contents, -1, &error);
  g_assert_no_error (error);

  assert_maps_no_gui ((const char * const[]) { "--version", NULL });
  assert_maps_no_gui ((const char * const[]) { "--list", NULL });
  assert_maps_no_gui ((const char * const[]) { "--list", "--json", NULL });
  assert_maps_no_gui ((const char * const[]) { "--search", "zebra", NULL });
  assert_maps_no_gui ((const char * const[]) { "--verify", NULL });
  assert_maps_no_gui ((const char * const[]) { "--export-markdown", export_dir, NULL });
  assert_maps_no_gui ((const char * const[]) { "--export-jsonld", export_file, "zebra", NULL });
  assert_maps_no_gui ((const char * const[]) { "--import", urls, NULL });
  assert_maps_no_gui ((const char * const[]) { "--merge-conflicts", NULL });
  assert_maps_no_gui ((const char * const[]) { "--merge-clip", merge_base, ours, theirs, NULL });
  assert_maps_no_gui ((const char * const[]) { "--help", NULL });

  /* And the check can tell: the GUI program does map GTK. */
  gui = loaded_libraries (app, (const char * const[]) { "--version", NULL });
  for (guint i = 0; i < gui->len; i++)
    {
      g_autofree char *base = g_path_get_basename (gui->pdata[i]);

      gtk |= g_str_has_prefix (base, "libgtk-4");
    }
  g_assert_true (gtk);
}

/* Nor does the ELF file ask for them. */
static void
test_needed_libraries (void)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (gloss, &contents, &length, &error);
  g_assert_no_error (error);
  for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
    g_assert_null (memmem (contents, length, forbidden[j], strlen (forbidden[j])));
}

static void
test_status (void)
{
  g_autofree char *missing = g_build_filename (gloss_test_get_root (), "no-such-library", NULL);

  {
    g_auto(Result) r = { 0, };
    run (&r, "--version");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "gloss " PACKAGE_VERSION "\n");
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--help");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--search=QUERY"));
    g_assert_nonnull (strstr (r.out, "[URL…]"));
    g_assert_null (strstr (r.out, "clip-imported"));
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--no-such-option");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (g_str_has_prefix (r.err, "gloss: "));
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--search");
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--json");
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--list", "--verify");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--list"));
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--search", "zebra", "--limit", "0");
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--library", missing, "--list");
    g_assert_cmpint (r.status, ==, 1);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--search", "zebra");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "Zebra migration\n"));
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--search", "okapi");
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--search", "color:orange");
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--verify");
    g_assert_cmpint (r.status, ==, 0);
  }
}

/* Issue 15: a query that is not UTF-8 names the argument, in one line,
 * instead of GLib's bare "Invalid byte sequence in conversion input". */
static void
test_invalid_utf8 (void)
{
  g_autofree char *export_dir = g_build_filename (gloss_test_get_root (), "export-bad", NULL);

  {
    g_auto(Result) r = { 0, };
    run (&r, "--search", "zebra\xff");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_true (g_str_has_prefix (r.err, "gloss: "));
    g_assert_nonnull (strstr (r.err, "--search"));
    g_assert_null (strstr (r.err, "Invalid byte sequence"));
    g_assert_cmpint (strchr (r.err, '\n') - r.err + 1, ==, strlen (r.err));
  }
  /* Valid UTF-8 is taken as it is, even where the locale says ASCII. */
  {
    g_auto(Result) r = { 0, };
    run_full (&r, gloss, "LC_ALL", "C", (const char * const[]) { "--search", "zebra OR café", NULL });
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Result) r = { 0, };
    run (&r, "--export-markdown", export_dir, "tag:\xc3");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (g_str_has_prefix (r.err, "gloss: "));
    g_assert_nonnull (strstr (r.err, "The search query"));
    g_assert_false (g_file_test (export_dir, G_FILE_TEST_EXISTS));
  }
}

static void
assert_finds (const char *query,
              const char *expected_id)
{
  g_auto(Result) r = { 0, };

  run (&r, "--search", query, "--json");
  if (expected_id == NULL)
    {
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.out, ==, "[]\n");
    }
  else
    {
      g_autofree char *member = g_strdup_printf ("\"id\" : \"%s\"", expected_id);

      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, member));
    }
}

/* Edits by other programs between two runs, right after the index read
 * the folders (so their stamps are racy: the files are compared too). */
static void
test_edits_between_runs (void)
{
  g_autofree char *dir = g_build_filename (library, "clips", "later", NULL);
  TestClip clip = {
    .id = "later",
    .title = "Aardvark habits",
    .text = "Nocturnal burrowing mammal.",
  };

  assert_finds ("aardvark", NULL);

  /* A sync tool drops a clip in. */
  test_write_clip (library, &clip);
  assert_finds ("aardvark", "later");

  /* An editor saves article.txt the way editors do: a new file renamed
   * over the old one. */
  gloss_test_write_file (dir, "article.txt", "Scaly anteater.");
  assert_finds ("burrowing", NULL);
  assert_finds ("scaly", "later");

  /* Another title in clip.json. */
  clip.title = "Pangolin habits";
  clip.text = "Scaly anteater.";
  test_write_clip (library, &clip);
  assert_finds ("pangolin", "later");
  assert_finds ("aardvark", NULL);

  /* Deleted. */
  gloss_test_remove_tree (dir);
  assert_finds ("pangolin", NULL);
}

/* Waits for the file system's clock to move past @path's mtime: a change
 * made after that gives the folder another mtime. */
static void
wait_for_next_tick (const char *folder)
{
  g_autofree char *probe = g_build_filename (folder, ".tick", NULL);
  struct stat before, now;

  g_assert_cmpint (stat (folder, &before), ==, 0);
  do
    {
      int fd = open (probe, O_WRONLY | O_CREAT | O_TRUNC, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (fstat (fd, &now), ==, 0);
      close (fd);
      g_assert_cmpint (unlink (probe), ==, 0);
    }
  while (now.st_mtim.tv_sec == before.st_mtim.tv_sec && now.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
}

/* With no racy window, the check looks at nothing but the folders'
 * stamps: an edit that keeps article.txt's size and mtime is still seen,
 * because replacing the file changed its folder. */
static void
test_folder_stamps (void)
{
  g_autofree char *path = gloss_test_make_dir ("stamps");
  g_autofree char *dir = g_build_filename (path, "clips", "pangolin", NULL);
  g_autofree char *text_path = g_build_filename (dir, "article.txt", NULL);
  TestClip clip = { .id = "pangolin", .title = "Pangolin", .text = "Scaly anteater." };
  struct stat before, after;
  struct timespec times[2];

  test_write_clip (path, &clip);

  {
    g_auto(Result) r = { 0, };
    run_full (&r, gloss, "GLOSS_INDEX_RACY_SECONDS", "0",
              (const char * const[]) { "--library", path, "--search", "scaly", NULL });
    g_assert_cmpint (r.status, ==, 0);
  }

  wait_for_next_tick (dir);
  g_assert_cmpint (stat (text_path, &before), ==, 0);
  gloss_test_write_file (dir, "article.txt", "Slimy anteater.");
  times[0] = before.st_atim;
  times[1] = before.st_mtim;
  g_assert_cmpint (utimensat (AT_FDCWD, text_path, times, 0), ==, 0);
  g_assert_cmpint (stat (text_path, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, before.st_size);

  {
    g_auto(Result) r = { 0, };
    run_full (&r, gloss, "GLOSS_INDEX_RACY_SECONDS", "0",
              (const char * const[]) { "--library", path, "--search", "slimy", NULL });
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto(Result) r = { 0, };
    run_full (&r, gloss, "GLOSS_INDEX_RACY_SECONDS", "0",
              (const char * const[]) { "--library", path, "--search", "scaly", NULL });
    g_assert_cmpint (r.status, ==, 1);
  }

  /* A new folder: clips/ changed, so its listing is read again. */
  wait_for_next_tick (dir);
  {
    TestClip other = { .id = "okapi", .title = "Okapi", .text = "Forest giraffe." };

    test_write_clip (path, &other);
  }
  {
    g_auto(Result) r = { 0, };
    run_full (&r, gloss, "GLOSS_INDEX_RACY_SECONDS", "0",
              (const char * const[]) { "--library", path, "--search", "giraffe", NULL });
    g_assert_cmpint (r.status, ==, 0);
  }
}

static const TestClip clips[] = {
  {
    .id = "one",
    .title = "Zebra migration",
    .url = "https://example.org/zebra",
    .created = "2025-05-02T10:00:00Z",
    .text = "Follow the zebra herd across the plains for many weeks.",
  },
};

int
main (int   argc,
      char *argv[])
{
  gloss_test_init (&argc, &argv);

  gloss = program_path ("gloss");
  library = g_strdup (g_getenv ("GLOSS_LIBRARY"));
  g_assert_nonnull (library);
  gloss_test_remove_tree (library);
  for (guint i = 0; i < G_N_ELEMENTS (clips); i++)
    test_write_clip (library, &clips[i]);

  g_test_add_func ("/cli-program/no-gui-libraries", test_no_gui_libraries);
  g_test_add_func ("/cli-program/needed-libraries", test_needed_libraries);
  g_test_add_func ("/cli-program/status", test_status);
  g_test_add_func ("/cli-program/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/cli-program/edits-between-runs", test_edits_between_runs);
  g_test_add_func ("/cli-program/folder-stamps", test_folder_stamps);

  return g_test_run ();
}
