// Builds the font atlas with FreeType from only the glyphs the bundle and the UI need.
#include "fonts.hpp"

#include <imgui_freetype.h>
#include <unistd.h>

namespace kiosk::ui {

std::string_view ui_strings() {
    return "返回首页大字标准字号阳光公开触摸屏幕开始使用监督举报热线还在吗？秒后回到首页"
           "点击任意位置继续内容正在准备中请稍后再试或拨打县人口计生委咨询电话文件共份新"
           "发布机关日期版本更新有效至已过期内容可能不是最新请以窗口公告为准示例数据"
           "办理条件所需材料流程时限收费依据承办机构地址电话办公时间职责第步页没有找到"
           "相关内容无法显示图片缺失链接的文件不存在上一页下一页向上向下滚动当前位置搜索"
           "分类提：，。刚才查看和填写会被清除暂读取要经撤重选择这自助服务通知政策、事指南表格较宽"
           "拖方左右律　施行（）说明来如帮厅"
           "输入拼音审批登记空删育证换个词按；也"
           "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
           " .,:;!?()[]{}<>/\\|-_+=*&%$#@~'\"`^，。、；：？！（）《》「」『』【】…—·“”‘’"
           "\xE3\x80\x80"   // U+3000, the ideographic space
           "\xE2\x96\xA1"   // U+25A1 □, drawn for characters the font lacks
           "\xEF\xBF\xBD";  // U+FFFD, drawn for characters the font lacks
}

namespace {

void use_placeholder(ImFont* font, ImWchar placeholder) {
    const ImFontGlyph* glyph = font->FindGlyphNoFallback(placeholder);
    if (!glyph) return;
    font->FallbackChar = placeholder;
    font->FallbackGlyph = glyph;
    font->FallbackAdvanceX = glyph->AdvanceX;
    for (int c = 0; c < font->IndexLookup.Size; ++c) {
        if (font->IndexLookup[c] == static_cast<ImWchar>(-1))
            font->IndexAdvanceX[c] = glyph->AdvanceX;
    }
}

}  // namespace

Result<Fonts> build_fonts(ImGuiIO& io, const FontFiles& files, std::string_view glyph_text,
                          std::string_view title_glyph_text, float body_px, float title_px,
                          float small_px) {
    for (const auto* path : {&files.regular, &files.bold}) {
        if (::access(path->c_str(), R_OK) != 0) {
            return make_error("font", "font file " + *path + " is missing (fonts-noto-cjk)");
        }
    }
    ImFontAtlas& atlas = *io.Fonts;
    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = 0;
    atlas.TexDesiredWidth = 2048;

    // Glyph ranges must outlive the build; one set per kind of font.
    static ImVector<ImWchar> ranges, title_ranges;
    auto build_ranges = [](std::string_view text, ImVector<ImWchar>& out) {
        ImFontGlyphRangesBuilder builder;
        std::string all(text);
        all += ui_strings();
        builder.AddText(all.data(), all.data() + all.size());
        out.clear();
        builder.BuildRanges(&out);
    };
    build_ranges(glyph_text, ranges);
    build_ranges(title_glyph_text, title_ranges);

    auto add = [&](const std::string& file, float px, const ImVector<ImWchar>& r) -> ImFont* {
        ImFontConfig cfg;
        cfg.FontNo = files.face_index;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        return atlas.AddFontFromFileTTF(file.c_str(), px, &cfg, r.Data);
    };
    Fonts fonts;
    fonts.body = add(files.regular, body_px, ranges);
    fonts.title = add(files.bold, title_px, title_ranges);
    fonts.small = add(files.regular, small_px, ranges);
    if (!fonts.body || !fonts.title || !fonts.small || !atlas.Build()) {
        return make_error("font", "the font atlas could not be built");
    }
    // The rasterised atlas is all ImGui needs now: drop the three copies of the font files
    // (about 60 MB) it keeps for a rebuild; a rebuild loads them again.
    atlas.ClearInputData();
    // Noto CJK has no U+FFFD, so ImGui would fall back to '?'. A hollow box is the calmer, usual
    // placeholder for a character that cannot be shown (emoji, rare characters).
    for (ImFont* f : {fonts.body, fonts.title, fonts.small})
        use_placeholder(f, 0x25A1);
    return fonts;
}

}  // namespace kiosk::ui
