// Replays every file of the given corpus directories through LLVMFuzzerTestOneInput. Built for
// every fuzz target so that the seed corpus and every past crash run as ordinary tests, with or
// without libFuzzer.
#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int ReplayFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                             std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int replayed = 0;
  int failures = 0;
  for (int i = 1; i < argc; i++) {
    std::string root = argv[i];
    struct stat info;
    if (stat(root.c_str(), &info) != 0) {
      std::fprintf(stderr, "no such corpus: %s\n", root.c_str());
      return 1;
    }
    if (!S_ISDIR(info.st_mode)) {
      failures += ReplayFile(root);
      replayed++;
      continue;
    }
    DIR* directory = opendir(root.c_str());
    while (dirent* entry = readdir(directory)) {
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      failures += ReplayFile(root + "/" + name);
      replayed++;
    }
    closedir(directory);
  }
  std::printf("replayed %d inputs\n", replayed);
  return failures == 0 && replayed > 0 ? 0 : 1;
}
