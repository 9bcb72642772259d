// The OpenGL 3 renderer: ImGui's OpenGL3 backend for the draw data, our own font texture (Alpha8
// with a swizzle) and image textures.
#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "renderer.hpp"

namespace kiosk::app {

namespace {

GLuint gl_name(ImTextureID t) {
    return static_cast<GLuint>(reinterpret_cast<intptr_t>(t));
}
ImTextureID texture_id(GLuint name) {
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(name));
}

class GlRenderer final : public Renderer {
public:
    GlRenderer(SDL_Window* window, SDL_GLContext gl) : window_(window), gl_(gl) {}
    ~GlRenderer() override {
        if (font_texture_) glDeleteTextures(1, &font_texture_);
        if (backend_) ImGui_ImplOpenGL3_Shutdown();
        SDL_GL_DeleteContext(gl_);
    }

    Status start() {
        if (!ImGui_ImplOpenGL3_Init("#version 130"))
            return make_error("display", "OpenGL renderer failed to start");
        backend_ = true;
        // Create the renderer's objects now: left to the first NewFrame(), they would be made
        // from an atlas whose input has been freed, and ImGui would quietly rebuild it with its
        // default font (garbled text). The font texture it makes from the context's own atlas
        // (ImGui's small default font) is dropped at once: ours is uploaded as Alpha8.
        ImGui_ImplOpenGL3_CreateDeviceObjects();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui::GetIO().Fonts->Clear();
        return {};
    }

    const char* name() const override { return "opengl"; }

    // One channel of coverage: a quarter of the RGBA32 texture ImGui's backend would make. The
    // swizzle reads it as white with that alpha, which is what ImGui's shader expects.
    void upload_font_atlas(ImFontAtlas& atlas) override {
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        atlas.GetTexDataAsAlpha8(&pixels, &w, &h);
        if (font_texture_) glDeleteTextures(1, &font_texture_);
        glGenTextures(1, &font_texture_);
        glBindTexture(GL_TEXTURE_2D, font_texture_);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        const GLint swizzle[] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
        glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
        atlas.SetTexID(texture_id(font_texture_));
        atlas.ClearTexData();
    }

    void update_font_atlas(const ui::AtlasUpload& up, bool) override {
        glBindTexture(GL_TEXTURE_2D, font_texture_);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexSubImage2D(GL_TEXTURE_2D, 0, up.x, up.y, up.w, up.h, GL_RED, GL_UNSIGNED_BYTE,
                        up.alpha.data());
    }

    ImTextureID upload_image(const unsigned char* rgba, int w, int h) override {
        GLuint tex = 0;
        glGenTextures(1, &tex);
        glBindTexture(GL_TEXTURE_2D, tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        return tex ? texture_id(tex) : nullptr;
    }

    void free_image(ImTextureID texture) override {
        GLuint tex = gl_name(texture);
        glDeleteTextures(1, &tex);
    }

    void new_frame() override { ImGui_ImplOpenGL3_NewFrame(); }

    void draw(ImDrawData* data, int width, int height) override {
        glViewport(0, 0, width, height);
        glClearColor(247 / 255.f, 245 / 255.f, 240 / 255.f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(data);
    }

    void present() override { SDL_GL_SwapWindow(window_); }
    void finish() override { glFinish(); }

    Result<std::vector<unsigned char>> read_rgb(int width, int height) override {
        const size_t row = static_cast<size_t>(width) * 3;
        std::vector<unsigned char> pixels(row * height), flipped(row * height);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadBuffer(GL_BACK);
        glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
        for (int y = 0; y < height; ++y)  // GL's rows run from the bottom
            std::copy_n(pixels.data() + (height - 1 - y) * row, row, flipped.data() + y * row);
        return flipped;
    }

private:
    SDL_Window* window_;
    SDL_GLContext gl_;
    bool backend_ = false;
    GLuint font_texture_ = 0;
};

}  // namespace

config::Renderer resolve_renderer(config::Renderer wanted) {
    if (wanted != config::Renderer::automatic) return wanted;
    bool gpu = false;
    std::string denied;
    if (DIR* d = ::opendir("/dev/dri")) {
        while (dirent* e = ::readdir(d)) {
            if (std::strncmp(e->d_name, "renderD", 7) != 0) continue;
            // A node this user cannot open (the kiosk user is not in the `render` group, which
            // the package's postinst adds) would leave Mesa emulating a GPU: software instead.
            if (::faccessat(::dirfd(d), e->d_name, R_OK | W_OK, AT_EACCESS) == 0)
                gpu = true;
            else
                denied = e->d_name;
        }
        ::closedir(d);
    }
    if (!gpu && !denied.empty())
        std::fprintf(stderr,
                     "kiosk: /dev/dri/%s is not usable by this user (not in the render group?); "
                     "drawing in software\n",
                     denied.c_str());
    return gpu ? config::Renderer::opengl : config::Renderer::software;
}

Uint32 prepare_window(config::Renderer kind) {
    if (kind != config::Renderer::opengl) {
        // Otherwise SDL backs the window's surface with an OpenGL texture when it can, which
        // loads the very GPU emulation the software renderer is there to avoid.
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        return 0;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    return SDL_WINDOW_OPENGL;
}

Result<std::unique_ptr<Renderer>> make_gl_renderer(SDL_Window* window, bool vsync) {
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    if (!gl) return make_error("display", std::string("no OpenGL 3.0 context: ") + SDL_GetError());
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(vsync ? 1 : 0);
    auto r = std::make_unique<GlRenderer>(window, gl);
    if (Status st = r->start(); !st) return st.error();
    return std::unique_ptr<Renderer>(std::move(r));
}

}  // namespace kiosk::app
