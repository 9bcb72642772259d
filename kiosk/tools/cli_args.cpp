// A small command-line parser shared by the tools.
#include "cli_args.hpp"

#include <cstdio>

namespace kiosk::tools {

Result<Args> parse_args(int argc, char** argv, int start, const std::set<std::string>& with_value,
                        const std::set<std::string>& flags) {
    Args args;
    for (int i = start; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            if (with_value.count(a)) {
                if (i + 1 >= argc) return make_error("usage", a + " needs a value");
                args.options[a] = argv[++i];
            } else if (flags.count(a)) {
                args.flags.insert(a);
            } else {
                return make_error("usage", "unknown option " + a);
            }
        } else {
            args.positional.push_back(a);
        }
    }
    return args;
}

int fail(const char* program, const std::string& message, int code) {
    std::fprintf(stderr, "%s: %s\n", program, message.c_str());
    return code;
}

int answer_help_or_version(int argc, char** argv, const char* program, const char* usage) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::printf("%s  %s --help | --version\n\nThe manual: man %s\n", usage, program,
                        program);
            return 0;
        }
    }
    if (argc >= 2 && std::string(argv[1]) == "--version") {
        std::printf("%s (Sunshine Kiosk) %s\n", program, KIOSK_VERSION);
        return 0;
    }
    return -1;
}

}  // namespace kiosk::tools
