// image_diff A.png B.png MAX_SHARE: compares two screenshots of the same screen drawn by the two
// renderers. The renderers may smooth edges differently and place scaled glyphs a pixel apart, so a
// pixel counts as matched when the other image has a pixel within 2 px (either way) that differs
// by at most 64 in every channel. Fails (exit 1) when more than MAX_SHARE (0-1) of the pixels of
// either image have no match: a missing or extra word, a moved block or a wrong colour.
#include <stb_image.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: image_diff A.png B.png MAX_SHARE\n");
        return 2;
    }
    int wa = 0, ha = 0, wb = 0, hb = 0, n = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> a(stbi_load(argv[1], &wa, &ha, &n, 3),
                                                      stbi_image_free);
    std::unique_ptr<unsigned char, void (*)(void*)> b(stbi_load(argv[2], &wb, &hb, &n, 3),
                                                      stbi_image_free);
    if (!a || !b) {
        std::fprintf(stderr, "image_diff: cannot read %s\n", !a ? argv[1] : argv[2]);
        return 2;
    }
    if (wa != wb || ha != hb) {
        std::fprintf(stderr, "image_diff: sizes differ (%dx%d, %dx%d)\n", wa, ha, wb, hb);
        return 1;
    }
    const int w = wa, h = ha;
    auto close = [](const unsigned char* p, const unsigned char* q) {
        return std::abs(p[0] - q[0]) <= 64 && std::abs(p[1] - q[1]) <= 64 &&
               std::abs(p[2] - q[2]) <= 64;
    };
    // Pixels of `from` with nothing like them nearby in `to`.
    auto unmatched = [&](const unsigned char* from, const unsigned char* to) {
        size_t n = 0;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const unsigned char* p = from + (static_cast<size_t>(y) * w + x) * 3;
                bool found = false;
                for (int dy = -2; dy <= 2 && !found; ++dy) {
                    for (int dx = -2; dx <= 2 && !found; ++dx) {
                        int yy = y + dy, xx = x + dx;
                        if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                        found = close(p, to + (static_cast<size_t>(yy) * w + xx) * 3);
                    }
                }
                if (!found) ++n;
            }
        }
        return n;
    };
    const double pixels = static_cast<double>(w) * h;
    const double share =
        static_cast<double>(std::max(unmatched(a.get(), b.get()), unmatched(b.get(), a.get()))) /
        pixels;
    const bool ok = share <= std::atof(argv[3]);
    std::printf("%s: %.4f%% of pixels have no match within 2 px -> %s\n", argv[1], share * 100,
                ok ? "ok" : "TOO DIFFERENT");
    return ok ? 0 : 1;
}
