"""Variant CJK characters folded to one form: Japanese, Traditional and Simplified spellings meet.

A question in Simplified Chinese ("年龄", "东京") must find a label or a value written in Japanese
or Traditional characters ("年齢", "東京"), and the reverse. NFKC folds the CJK compatibility
ideographs (U+F900..) and full-width forms but not these variants, so :func:`fold` also maps a
small table of frequent Traditional and Japanese (shinjitai) characters to their Simplified form.
It is applied to both sides of a match (question terms and the text they are looked up in); it
never changes what an answer shows.
"""

from __future__ import annotations

import unicodedata

# pairs of lines: variants, then their Simplified forms (same length)
_PAIRS = (
    ("齢齡東經経營営業賣売讀読說説圖図價価廣広驛駅氣気國學学會会號号區区發発時間來対對開關書長門問題電話車馬鳥魚語記場",
     "龄龄东经经营营业卖卖读读说说图图价价广广驿驿气气国学学会会号号区区发发时间来对对开关书长门问题电话车马鸟鱼语记场"),
    ("進達過運還選連違総總數数與写寫収收状狀県縣横橫様樣楽樂薬藥観觀権權歴歷帰歸図團団圓円顔顏額頁項順預領頭類",
     "进达过运还选连违总总数数与写写收收状状县县横横样样乐乐药药观观权权历历归归图团团圆圆颜颜额页项顺预领头类"),
    ("価値値貨費資質賃購販財責貴買貸貿負貢員実實宝寶擔担捜搜摂攝拡擴揺搖済濟渉涉減満滿漢湾灣測温溫",
     "价值值货费资质赁购贩财责贵买贷贸负贡员实实宝宝担担搜搜摄摄扩扩摇摇济济涉涉减满满汉湾湾测温温"),
    ("氏姓齒歯髙髮髪麺麵黃黄亞亜惡悪壓圧櫻桜兒児處処廳庁傳伝體体讓譲醫医隨随險険驗験聯屬属條条歲歳",
     "氏姓齿齿高发发面面黄黄亚亚恶恶压压樱樱儿儿处处厅厅传传体体让让医医随随险险验验联属属条条岁岁"),
    ("職業齢鉄鐵銀錢銭鋼録錄鏡針銷鎖鍵線級組細終結給統絡続續絵繪緑綠練縮網総織紙純紅約紀",
     "职业龄铁铁银钱钱钢录录镜针销锁键线级组细终结给统络续续绘绘绿绿练缩网总织纸纯红约纪"),
    ("轉転輸輪軟軽輕較載農邊辺郵鄉郷醬醤釋釈陳陸陽隊際雜雑雙雞鶏難雲電需靜静風飛飯飲館養馬駐騰驅駆",
     "转转输轮软轻轻较载农边边邮乡乡酱酱释释陈陆阳队际杂杂双鸡鸡难云电需静静风飞饭饮馆养马驻腾驱驱"),
    ("計訂認討訓託記訪設許訴診証證評詞詳試詩誠話誌認誤説誰課調談請論諸講謝識護讀變",
     "计订认讨训托记访设许诉诊证证评词详试诗诚话志认误说谁课调谈请论诸讲谢识护读变"),
)
_MAP: dict[int, str] = {}
for _src, _dst in _PAIRS:
    if len(_src) != len(_dst):  # pragma: no cover - a table typo
        raise ValueError("variant table: lines differ in length")
    for _a, _b in zip(_src, _dst, strict=True):
        if _a != _b:
            _MAP[ord(_a)] = _b


def fold(text: str) -> str:
    """``text`` in NFKC with variant CJK characters in their Simplified form (same length for CJK)."""
    return unicodedata.normalize("NFKC", text).translate(_MAP)
