// Config files: loading with errors that name file and line, the command line, CONFIG
// REWRITE's text transformation and durable replacement, and the shipped example and man page.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "ringdb/server/config.h"

using ringdb::Status;
using ringdb::server::Config;
using ringdb::server::ConfigRegistry;
using ringdb::server::LoadConfigFile;
using ringdb::server::LoadConfigText;
using ringdb::server::ParseCommandLine;
using ringdb::server::ReadWholeFile;
using ringdb::server::ReplaceFileDurably;
using ringdb::server::RewriteConfigText;

namespace {

// The repository root, from this file's path (meson compiles it by absolute path).
std::string SourceRoot() {
  std::string file = __FILE__;
  size_t at = file.rfind("tests/unit/server/");
  REQUIRE(at != std::string::npos);
  return file.substr(0, at);
}

std::string ReadText(const std::string& path) {
  auto text = ReadWholeFile(path, false);
  REQUIRE_MESSAGE(text.ok(), path);
  return *text;
}

// A fresh directory under /tmp, removed with its files at the end of the test.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    char pattern[] = "/tmp/ringdb-config-test-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::string command = "rm -rf '" + path_ + "'";
    if (std::system(command.c_str()) != 0) MESSAGE("could not remove " << path_);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(File(name)) << text;
  }

 private:
  std::string path_;
};

Config Load(std::string_view text) {
  Config config;
  Status status = LoadConfigText(config, text, "test.conf");
  REQUIRE_MESSAGE(status.ok(), status.message());
  return config;
}

}  // namespace

TEST_CASE("a config file is read line by line with comments, blanks, quotes and CRLF") {
  Config config = Load(
      "# comment\n"
      "\n"
      "   port 7001   \r\n"
      "\tmaxmemory 2mb\n"
      "logfile \"/tmp/with space.log\"\n"
      "notify-keyspace-events 'Ex'\n"
      "bind 10.0.0.1 10.0.0.2\n"
      "port 7002");
  CHECK(config.port == 7002);
  CHECK(config.maxmemory == 2 * 1024 * 1024);
  CHECK(config.logfile == "/tmp/with space.log");
  CHECK(config.notify_keyspace_events == "xE");
  CHECK(config.bind == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
}

TEST_CASE("config file errors name the origin, the line and the reason") {
  Config config;
  Status status = LoadConfigText(config, "port 7000\n# fine\nport 99999\n", "my.conf");
  CHECK(status.message() ==
        "my.conf:3: 'port 99999': argument must be between 0 and 65535 inclusive");
  status = LoadConfigText(config, "\n\nfoo bar\n", "my.conf");
  CHECK(status.message() == "my.conf:3: 'foo bar': Bad directive or wrong number of arguments");
  status = LoadConfigText(config, "logfile \"unterminated\n", "my.conf");
  CHECK(status.message() ==
        "my.conf:1: 'logfile \"unterminated': Unbalanced quotes in configuration line");
  status = LoadConfigText(config, "maxmemory 1 2\n", "my.conf");
  CHECK(status.message() == "my.conf:1: 'maxmemory 1 2': wrong number of arguments");
  status = LoadConfigText(config, "protected-mode sometimes\r\n", "my.conf");
  CHECK(status.message() ==
        "my.conf:1: 'protected-mode sometimes': argument must be 'yes' or 'no'");
}

TEST_CASE("LoadConfigFile records the absolute path and a missing file is fatal") {
  TemporaryDirectory directory;
  directory.Write("a.conf", "maxclients 77\n");
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof(cwd)) != nullptr);
  REQUIRE(chdir(directory.File("").c_str()) == 0);
  Config config;
  Status status = LoadConfigFile(config, "a.conf");
  REQUIRE(chdir(cwd) == 0);
  REQUIRE(status.ok());
  CHECK(config.maxclients == 77);
  CHECK(config.config_file == directory.File("a.conf"));

  Config missing;
  status = LoadConfigFile(missing, directory.File("nope.conf"));
  CHECK(status.message() == "Fatal error, can't open config file '" + directory.File("nope.conf") +
                                "': No such file or directory");
}

TEST_CASE("flags on the command line follow the file and override it") {
  TemporaryDirectory directory;
  directory.Write("a.conf", "port 7000\nmaxmemory 1mb\n");
  std::string file = directory.File("a.conf");
  const char* words[] = {"ringdb-server", file.c_str(), "--port",    "7001",          "--bind",
                         "10.0.0.1",      "10.0.0.2",   "--logfile", "with \"quote\""};
  std::vector<char*> argv;
  for (const char* word : words) argv.push_back(const_cast<char*>(word));
  Config config;
  bool help = false;
  bool version = false;
  Status status =
      ParseCommandLine(config, static_cast<int>(argv.size()), argv.data(), &help, &version);
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(config.port == 7001);
  CHECK(config.maxmemory == 1024 * 1024);
  CHECK(config.bind == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
  CHECK(config.logfile == "with \"quote\"");

  const char* bad[] = {"ringdb-server", "--port", "x"};
  std::vector<char*> bad_argv;
  for (const char* word : bad) bad_argv.push_back(const_cast<char*>(word));
  status = ParseCommandLine(config, 3, bad_argv.data(), &help, &version);
  CHECK(status.message() ==
        "command line:1: 'port \"x\"': argument couldn't be parsed into an integer");
}

TEST_CASE("CONFIG REWRITE quotes a bind address the parser would otherwise split") {
  // Found by the config fuzz target: an address holding a quote was written as it is, and the
  // rewritten file could not be loaded at the next start.
  Config config;
  std::string text = "bind 127.0.0.1 \"a b\" \"q\\\"\"\n";
  REQUIRE(LoadConfigText(config, text, "test").ok());
  REQUIRE(config.bind.size() == 3);
  std::string rewritten = RewriteConfigText(text, config);
  CHECK(rewritten.substr(0, rewritten.find('\n')) == "bind 127.0.0.1 \"a b\" \"q\\\"\"");
  Config reloaded;
  REQUIRE(LoadConfigText(reloaded, rewritten, "test").ok());
  CHECK(reloaded.bind == config.bind);
  // Plain addresses are written as Redis writes them.
  Config plain;
  REQUIRE(LoadConfigText(plain, "bind 10.0.0.1 -::1\n", "test").ok());
  std::string plain_text = RewriteConfigText("bind 10.0.0.1 -::1\n", plain);
  CHECK(plain_text.substr(0, plain_text.find('\n')) == "bind 10.0.0.1 -::1");
}

TEST_CASE("a second CONFIG REWRITE may move client-output-buffer-limit lines, keeping the values") {
  // As Redis's rewriteConfig: each class's line reuses the directive's next old line, default
  // or not, and only non-default ones are appended. One old line and a non-default pubsub
  // class give "normal" in place plus "pubsub" appended; rewriting that gives "normal",
  // "replica" (in pubsub's old place) and "pubsub" appended. Not a fixed point, but every
  // rewrite loads to the same values (found by the config fuzz target).
  Config config;
  std::string text = "client-output-buffer-limit pubsub 32mb 9mb 60\n";
  REQUIRE(LoadConfigText(config, text, "test").ok());
  std::string once = RewriteConfigText(text, config);
  CHECK(once ==
        "client-output-buffer-limit normal 0 0 0\n"
        "# Generated by CONFIG REWRITE\n"
        "client-output-buffer-limit pubsub 32mb 9mb 60\n"
        "dir \"./\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n"
        "latency-tracking-info-percentiles 50 99 99.9\n");
  Config reloaded;
  REQUIRE(LoadConfigText(reloaded, once, "test").ok());
  std::string twice = RewriteConfigText(once, reloaded);
  CHECK(twice ==
        "client-output-buffer-limit normal 0 0 0\n"
        "# Generated by CONFIG REWRITE\n"
        "client-output-buffer-limit replica 256mb 64mb 60\n"
        "dir \"./\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n"
        "latency-tracking-info-percentiles 50 99 99.9\n"
        "client-output-buffer-limit pubsub 32mb 9mb 60\n");
  Config again;
  REQUIRE(LoadConfigText(again, twice, "test").ok());
  CHECK(ConfigRegistry::Get(again, "client-output-buffer-limit").value() ==
        ConfigRegistry::Get(config, "client-output-buffer-limit").value());
}

TEST_CASE("CONFIG REWRITE replaces lines in place, blanks leftovers and appends the rest") {
  const std::string old_text =
      "# A comment\n"
      "port 7000\n"
      "\n"
      "maxmemory 1mb\n"
      "maxmemory 2mb\n"
      "  \n"
      "# trailing comment\n"
      "hash-max-ziplist-entries 64\n"
      "pidfile /var/run/ringdb.pid\n"
      "bind 127.0.0.1 -::1\n"
      "foo bar\n"
      "logfile \"unbalanced\n";
  Config config;
  REQUIRE(LoadConfigText(config, "port 7000\n", "test").ok());
  config.maxmemory = 3 * 1024 * 1024;
  config.timeout_seconds = 30;
  config.hash_max_listpack_entries = 100;
  config.notify_keyspace_events = "xE";
  std::string rewritten = RewriteConfigText(old_text, config);
  CHECK(rewritten ==
        "# A comment\n"
        "port 7000\n"
        "\n"
        "maxmemory 3mb\n"
        "\n"
        "# trailing comment\n"
        "hash-max-listpack-entries 100\n"
        "\n"
        "# ??? foo bar\n"
        "# ??? logfile \"unbalanced\n"
        "# Generated by CONFIG REWRITE\n"
        "timeout 30\n"
        "dir \"./\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n"
        "latency-tracking-info-percentiles 50 99 99.9\n"
        "notify-keyspace-events \"xE\"\n");
  // Rewriting again changes nothing, and loading the result gives the same values.
  CHECK(RewriteConfigText(rewritten, config) == rewritten);
  Config reloaded = Load(rewritten);
  CHECK(reloaded.maxmemory == config.maxmemory);
  CHECK(reloaded.timeout_seconds == 30);
  CHECK(reloaded.hash_max_listpack_entries == 100);
  CHECK(reloaded.notify_keyspace_events == "xE");
}

TEST_CASE("CONFIG REWRITE of an empty file writes only what differs from the defaults") {
  Config config;
  CHECK(RewriteConfigText("", config) ==
        "# Generated by CONFIG REWRITE\n"
        "dir \"./\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n"
        "latency-tracking-info-percentiles 50 99 99.9\n");
  config.output_limit_pubsub.hard_bytes = 1024;
  config.bind = {"0.0.0.0"};
  config.unixsocketperm = 0700;
  config.latency_tracking_info_percentiles.clear();
  config.logfile = "/var/log/ringdb.log";
  CHECK(RewriteConfigText("client-output-buffer-limit normal 0 0 0\n", config) ==
        "client-output-buffer-limit normal 0 0 0\n"
        "# Generated by CONFIG REWRITE\n"
        "bind 0.0.0.0\n"
        "unixsocketperm 700\n"
        "client-output-buffer-limit pubsub 1kb 8mb 60\n"
        "dir \"./\"\n"
        "logfile \"/var/log/ringdb.log\"\n"
        "save 3600 1\n"
        "save 300 100\n"
        "save 60 10000\n"
        "latency-tracking-info-percentiles \"\"\n");
}

TEST_CASE("every directive's rewritten line loads back to the same value") {
  Config changed;
  std::string text =
      "bind 0.0.0.0 ::1\nunixsocket \"/tmp/a b.sock\"\nunixsocketperm 755\nmaxclients 99\n"
      "client-output-buffer-limit normal 1mb 2kb 3\nmaxmemory 1000\nhash-max-ziplist-value 1kb\n"
      "loglevel warning\nlogfile \"x\\\"y\"\nlatency-tracking-info-percentiles 1.5 2\n"
      "notify-keyspace-events KEA\nlist-max-ziplist-size -1\nlatency-tracking no\n";
  REQUIRE(LoadConfigText(changed, text, "test").ok());
  Config reloaded = Load(RewriteConfigText("", changed));
  for (const auto& info : ConfigRegistry::Directives()) {
    CHECK_MESSAGE(
        *ConfigRegistry::Get(reloaded, info.name) == *ConfigRegistry::Get(changed, info.name),
        info.name);
  }
}

TEST_CASE("ReplaceFileDurably swaps the whole file and keeps its permissions") {
  TemporaryDirectory directory;
  std::string path = directory.File("ringdb.conf");
  directory.Write("ringdb.conf", "old\n");
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  REQUIRE(ReplaceFileDurably(path, "new content\n").ok());
  CHECK(ReadText(path) == "new content\n");
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  std::string fresh = directory.File("fresh.conf");
  REQUIRE(ReplaceFileDurably(fresh, "x\n").ok());
  CHECK(ReadText(fresh) == "x\n");

  Status status = ReplaceFileDurably(directory.File("missing-dir/ringdb.conf"), "x");
  CHECK(status.message() == "No such file or directory");
  CHECK(ReadWholeFile(directory.File("absent"), true).value().empty());
  CHECK(ReadWholeFile(directory.File("absent"), false).status().message() ==
        "No such file or directory");
}

TEST_CASE("the example ringdb.conf loads and shows every directive") {
  std::string path = SourceRoot() + "ringdb.conf";
  Config config;
  Status status = LoadConfigFile(config, path);
  REQUIRE_MESSAGE(status.ok(), status.message());
  std::string text = ReadText(path);
  for (const auto& info : ConfigRegistry::Directives()) {
    // Each directive appears, commented out, at the start of a line.
    bool found = text.find("\n# " + info.name + " ") != std::string::npos ||
                 text.find("\n" + info.name + " ") != std::string::npos;
    CHECK_MESSAGE(found, info.name);
  }
  // Uncommenting every directive line still loads: the examples are valid values.
  std::istringstream lines(text);
  std::string line;
  std::string uncommented;
  while (std::getline(lines, line)) {
    if (line.starts_with("# ") && line.size() > 2 &&
        ConfigRegistry::Find(line.substr(2, line.find(' ', 2) - 2)) != nullptr) {
      line = line.substr(2);
    }
    uncommented += line + "\n";
  }
  Config all;
  status = LoadConfigText(all, uncommented, "uncommented ringdb.conf");
  CHECK_MESSAGE(status.ok(), status.message());
  // Shown at their defaults.
  for (const auto& info : ConfigRegistry::Directives()) {
    if (info.name == "dir") continue;  // The example names a real directory.
    CHECK_MESSAGE(*ConfigRegistry::Get(all, info.name) == *ConfigRegistry::Get(Config{}, info.name),
                  info.name);
  }
}

TEST_CASE("the man page documents every directive") {
  std::string text = ReadText(SourceRoot() + "man/ringdb.conf.5");
  for (const auto& info : ConfigRegistry::Directives()) {
    CHECK_MESSAGE(text.find(".B " + info.name + "\n") != std::string::npos, info.name);
  }
}
