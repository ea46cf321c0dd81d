"""Hand-written app feedback, in the style of real app-store reviews, tickets and posts.

Written for these tests by a person (not by opsnb's generator, and not copied from any data
set), with phrasing, products and complaints the generator never uses: other words for crashes
and payments, sarcasm, mixed Chinese and English, emoji, typos. The label is the writer's.
"""

REVIEWS: list[tuple[str, str]] = [
    ("更新到最新版以后每次切后台回来都白屏，只能杀进程重开", "negative"),
    ("充了年费会员结果第二天就降价了，早知道等等再买，心塞", "negative"),
    ("找了半天都没找到注销账号的入口，设计得也太隐蔽了吧", "negative"),
    ("夜间模式做得很舒服，晚上看不刺眼，好评", "positive"),
    ("下载速度比以前快多了，离线缓存也稳定", "positive"),
    ("请问家庭共享最多能绑定几个设备？", "neutral"),
    ("订单显示已付款但是权益一直没生效，联系在线客服排队排了四十分钟", "negative"),
    ("界面改版后找不到收藏夹了，能不能改回去", "negative"),
    ("字幕和声音不同步，看剧体验很差", "negative"),
    ("谢谢工作人员帮我找回了被盗的账号，效率很高", "positive"),
    ("什么时候支持横屏模式？", "neutral"),
    ("新出的听书功能太适合通勤了，爱了爱了", "positive"),
    ("手机号换了，验证码发到旧号码上，根本没法操作", "negative"),
    ("一般般吧，没有特别惊艳的地方，也没什么大问题", "neutral"),
    ("推送太频繁了，一天十几条，已经关掉通知", "negative"),
    ("The latest build drains my battery like crazy, phone gets hot within minutes", "negative"),
    ("Subscribed for the ad-free plan and I still see banner ads. Want my money back", "negative"),
    ("Honestly the best reading app I've used this year, the offline mode is a lifesaver", "positive"),
    ("Does the family plan cover tablets as well?", "neutral"),
    ("Keeps logging me out whenever I switch networks. Super annoying", "negative"),
    ("Dark mode looks gorgeous and the new widgets are handy", "positive"),
    ("Search results are useless, typing an exact title returns random stuff", "negative"),
    ("Support got back to me in ten minutes and fixed my billing issue. Impressed!", "positive"),
    ("Is there a way to export my notes to PDF?", "neutral"),
    ("App won't even launch on my Pixel since Tuesday's update", "negative"),
    ("It's ok. Does what it says, nothing more.", "neutral"),
    ("Card declined three times but my bank says there's no problem on their side", "negative"),
    ("Wow, another update that breaks the video player. Great job 🙄", "negative"),
    ("Love the new playlist feature ❤️", "positive"),
    ("When will the Android version get the new editor?", "neutral"),
    ("升级之后app一直闪，点啥都没反应，垃圾更新", "negative"),
    ("客服说48小时内处理，现在都一周了还没消息 😤", "negative"),
    ("付了款页面却一直显示待支付，钱到底去哪了？？", "negative"),
    ("Premium 会员的清晰度确实提升了，值回票价 👍", "positive"),
    ("能不能出个 iPad 专用版本", "neutral"),
    ("排版清爽，广告也少，比隔壁的好用太多", "positive"),
    ("login 页面一直 loading，转了五分钟还没进去", "negative"),
    ("这次的 UI 改得挺好看的，就是有点耗电", "neutral"),
    ("最近推荐的视频全是营销号，看着很烦", "negative"),
    ("操作简单，我妈妈都会用，五颗星", "positive"),
]
