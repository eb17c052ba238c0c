# count-packages.jq: how many packages a CycloneDX JSON SBOM names, by purl type.
# Output: "TOTAL (type N, type N, ...)".
# Packages are components at any depth, except those that are not packages: files (cdxgen lists
# every file it hashed), the operating system entry, data and cryptographic assets. A package
# listed twice (same purl, or same name@version without purl) counts once.
def purl_type: (.purl // "") | (capture("^pkg:(?<t>[^/]+)/").t // "no-purl");
[.components[]? | recurse(.components[]?)]
| map(select((.type // "library") as $t
             | ["file", "operating-system", "data", "cryptographic-asset", "container"]
             | index($t) | not))
| unique_by(.purl // "\(.name)@\(.version)")
| (map(purl_type) | group_by(.) | map({t: .[0], n: length}) | sort_by(-.n, .t)) as $by
| "\(length) (\($by | map("\(.t) \(.n)") | join(", ")))"
