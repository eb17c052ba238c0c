#pragma once
// Ruby gems, as Syft's ruby catalogers report them:
//  - ruby-installed-gemspec-cataloger: every **/specifications/**/*.gemspec (images and
//    dir: sources), one "gem" package each, with the files the spec lists resolved to
//    <gem home>/gems/<spec name>/<file> as RubyGems installs them;
//  - ruby-gemfile-cataloger: Gemfile.lock of dir: sources only (images report what is
//    installed), with dependency edges between the locked gems of one lock file.
#include <string>

#include "sbom/cataloger.h"
#include "sbom/catalogers/gemspec.h"

namespace cairn::sbom {

Cataloger ruby_installed_gemspec_cataloger();
Cataloger ruby_gemfile_cataloger();

// pkg:gem/<name>@<version>
std::string gem_purl(const std::string& name, const std::string& version);

// The cairn package for a parsed gemspec found at `path`.
Package gemspec_package(const Gemspec& spec, const std::string& path);

}  // namespace cairn::sbom
