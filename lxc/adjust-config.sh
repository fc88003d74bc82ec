# adjust_config FILE OLD NEW LXCPATH FRESH_MAC: rewrites a restored container's LXC config
# for its new place: lxc.uts.name, lxc.rootfs.path, other paths under LXCPATH/OLD, and
# (FRESH_MAC=1, a copy next to the original) a new MAC for every lxc.net.N.hwaddr.
adjust_config() {
  local file=$1 old=$2 new=$3 lxcpath=$4 fresh_mac=$5 line key out uts_done=0 rootfs_done=0
  out=$(mktemp "$file.XXXXXX")
  while IFS= read -r line || [ -n "$line" ]; do
    key=''
    if [[ $line =~ ^[[:space:]]*([a-z0-9._]+)[[:space:]]*= ]]; then key=${BASH_REMATCH[1]}; fi
    case $key in
      lxc.uts.name) line="lxc.uts.name = $new"; uts_done=1 ;;
      lxc.rootfs.path) line="lxc.rootfs.path = dir:$lxcpath/$new/rootfs"; rootfs_done=1 ;;
      lxc.net.*.hwaddr) [ "$fresh_mac" = 1 ] && line="$key = $(random_hwaddr)" ;;
      *) line=${line//"$lxcpath/$old/"/"$lxcpath/$new/"} ;;
    esac
    printf '%s\n' "$line"
  done < "$file" > "$out"
  [ "$uts_done" = 1 ] || printf 'lxc.uts.name = %s\n' "$new" >> "$out"
  [ "$rootfs_done" = 1 ] || printf 'lxc.rootfs.path = dir:%s/%s/rootfs\n' "$lxcpath" "$new" >> "$out"
  chmod --reference="$file" "$out"
  mv "$out" "$file"
}
