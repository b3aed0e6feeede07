# Sourced by scripts/cowrie and the bench scripts: a class-data archive (AppCDS) of the gateway's own
# classes. Mapping it instead of loading and verifying ~9,000 classes from the jar cuts a start from
# about 2.7 s to 1.7 s on this 2-core machine. The first start after a build writes the archive as
# that process exits, to a name of its own; a later start checks it and only then puts it in place.
# COWRIE_CLASS_ARCHIVE=off turns it off.

# class_archive_options JAR [write]: the java options that map JAR's archive, or, with "write" and no
# archive yet, the options that make this process write one when it exits. Prints nothing otherwise.
class_archive_options() {
  [[ "${COWRIE_CLASS_ARCHIVE:-on}" == on ]] || return 0
  local jar=$1 archive="${1%.jar}.jsa" candidate
  # An archive remembers the jar it was made from; a rebuilt jar makes it useless.
  if [[ -f "$archive" && ! "$archive" -nt "$jar" ]]; then rm -f "$archive"; fi
  for candidate in "$archive".new-*; do
    [[ -f "$candidate" ]] || continue
    # A truncated archive crashes the JVM that maps it (SIGBUS, -Xshare:auto included), so a candidate
    # is mapped once with -Xshare:on, which refuses a bad one, before it takes the archive's name.
    if [[ ! -f "$archive" && "$candidate" -nt "$jar" ]] && java -Xshare:on -XX:SharedArchiveFile="$candidate" \
        -Xlog:cds=off -XX:ErrorFile=/dev/null -XX:-CreateCoredumpOnCrash -cp "$jar" -version >/dev/null 2>&1; then
      mv -f "$candidate" "$archive"
    elif [[ ! "$candidate" -nt "$jar" || -n "$(find "$candidate" -mmin +10 2>/dev/null)" ]]; then
      rm -f "$candidate" # stale, or a writer that died mid-write
    fi
  done
  if [[ -f "$archive" ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off"
  elif [[ "${2:-}" == write ]]; then
    echo "-XX:ArchiveClassesAtExit=$archive.new-$$-$RANDOM -Xlog:cds=off"
  fi
}
