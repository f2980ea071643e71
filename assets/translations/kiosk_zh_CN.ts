<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountChoiceScreen</name>
    <message>
        <source>Your ID card has these accounts. Touch the one you want.</source>
        <translation>您的身份证名下有以下户号，请点选要查询的户号。</translation>
    </message>
    <message>
        <source>No account was found for this ID card. Please type your account number instead.</source>
        <translation>没有找到这张身份证名下的户号，请改为输入户号。</translation>
    </message>
</context>
<context>
    <name>AccountEntryScreen</name>
    <message>
        <source>An account number has 8 to 13 digits. Please check your bill.</source>
        <translation>户号为 8 到 13 位数字，请对照账单核对。</translation>
    </message>
    <message>
        <source>Enter the account number you paid for</source>
        <translation>请输入缴费时的户号</translation>
    </message>
    <message>
        <source>You can also show the QR code on your bill to the scanner.</source>
        <translation>也可以把账单上的二维码对准扫码口。</translation>
    </message>
    <message>
        <source>Enter your account number</source>
        <translation>请输入户号</translation>
    </message>
    <message>
        <source>You can also show the QR code on your bill to the scanner, or place your ID card on the card reader.</source>
        <translation>也可以把账单上的二维码对准扫码口，或把身份证放在读卡区。</translation>
    </message>
    <message>
        <source>My ID card is on the reader: read it</source>
        <translation>身份证已放在读卡区，点此读取</translation>
    </message>
</context>
<context>
    <name>ArticlesScreen</name>
    <message>
        <source>Saving energy</source>
        <translation>节约用电</translation>
    </message>
    <message>
        <source>Our service commitments</source>
        <translation>服务承诺</translation>
    </message>
</context>
<context>
    <name>BillScreen</name>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务类别</translation>
    </message>
    <message>
        <source>Account holder</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Unpaid bills</source>
        <translation>欠费金额</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>Total to pay</source>
        <translation>应缴合计</translation>
    </message>
    <message>
        <source>Prepaid balance</source>
        <translation>预存余额</translation>
    </message>
    <message>
        <source>All bills are paid. Thank you.</source>
        <translation>账单均已缴清，谢谢！</translation>
    </message>
    <message>
        <source>Late fee by month</source>
        <translation>违约金明细</translation>
    </message>
    <message>
        <source>Usage in the last {0} months ({1})</source>
        <translation>近 {0} 个月用量（{1}）</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>{0}: {1}, {2} days late</source>
        <translation>{0}：欠 {1}，逾期 {2} 天</translation>
    </message>
    <message>
        <source>{0}: {1}, not yet late</source>
        <translation>{0}：欠 {1}，未逾期</translation>
    </message>
    <message>
        <source>This period: {0}</source>
        <translation>本期账单：{0}</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴清</translation>
    </message>
    <message>
        <source>Not paid yet</source>
        <translation>未缴</translation>
    </message>
    <message>
        <source>Meter readings</source>
        <translation>表计示数</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>缴费截止日</translation>
    </message>
    <message>
        <source>Pay {0}</source>
        <translation>缴费 {0}</translation>
    </message>
    <message>
        <source>Reprint a receipt</source>
        <translation>补打缴费凭证</translation>
    </message>
    <message>
        <source>Receipts and invoices</source>
        <translation>票据与发票</translation>
    </message>
    <message>
        <source>What you owe (as of {0})</source>
        <translation>应缴费用（截至 {0}）</translation>
    </message>
    <message>
        <source>Tier {0}</source>
        <translation>第 {0} 档</translation>
    </message>
    <message>
        <source>Your account</source>
        <translation>户号信息</translation>
    </message>
    <message>
        <source>What you owe</source>
        <translation>应缴费用</translation>
    </message>
    <message>
        <source>This period</source>
        <translation>本期账单</translation>
    </message>
    <message>
        <source>Monthly usage</source>
        <translation>月度用量</translation>
    </message>
    <message>
        <source>Each bar is one month. Striped bars marked ! are months not paid yet.</source>
        <translation>每根柱子代表一个月；带斜线并标有“!”的月份尚未缴费。</translation>
    </message>
    <message>
        <source>No bill has been issued for this period yet.</source>
        <translation>本期账单尚未出账。</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>Prepay</source>
        <translation>预存</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
</context>
<context>
    <name>BottomBar</name>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 返回</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>BusinessDocumentsScreen</name>
    <message>
        <source>This business needs no documents.</source>
        <translation>这项业务不需要其他材料。</translation>
    </message>
    <message>
        <source>Photograph it</source>
        <translation>拍照上传</translation>
    </message>
    <message>
        <source>Sign a promise to bring it later</source>
        <translation>签承诺书，以后补交</translation>
    </message>
    <message>
        <source>I have none</source>
        <translation>没有</translation>
    </message>
    <message>
        <source>Not yet given</source>
        <translation>尚未提供</translation>
    </message>
    <message>
        <source>✔ Photographed</source>
        <translation>✔ 已拍照</translation>
    </message>
    <message>
        <source>✔ Promised (commitment letter)</source>
        <translation>✔ 已承诺补交（承诺书）</translation>
    </message>
    <message>
        <source>✔ Already on file: not needed again</source>
        <translation>✔ 已有存档，无需再交</translation>
    </message>
    <message>
        <source>Left out</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>所需材料</translation>
    </message>
    <message>
        <source>Next: read and sign</source>
        <translation>下一步：核对并签名</translation>
    </message>
</context>
<context>
    <name>BusinessDoneScreen</name>
    <message>
        <source>Your slip is printed: keep it to follow your application.</source>
        <translation>回执已打印，请妥善保管，凭回执查询办理进度。</translation>
    </message>
    <message>
        <source>No slip was printed: photograph the QR code or note the number.</source>
        <translation>回执未能打印，请拍下二维码或记下申请编号。</translation>
    </message>
    <message>
        <source>The center has it. You will get an SMS at each step.</source>
        <translation>中心已收到您的申请，每个办理环节都会短信通知您。</translation>
    </message>
    <message>
        <source>It is kept safely here and sent when the link to the center is back.</source>
        <translation>申请已安全保存在本机，与中心的连接恢复后自动发送。</translation>
    </message>
    <message>
        <source>Application submitted</source>
        <translation>申请已提交</translation>
    </message>
    <message>
        <source>Photograph this QR code to follow your application.</source>
        <translation>拍下这个二维码，可随时查询办理进度。</translation>
    </message>
</context>
<context>
    <name>BusinessFlow</name>
    <message>
        <source>This ID card has expired. Business needs a valid card.</source>
        <translation>这张身份证已过有效期，办理业务需要有效身份证。</translation>
    </message>
    <message>
        <source>Finding your accounts…</source>
        <translation>正在查找您的户号……</translation>
    </message>
    <message>
        <source>Staff will confirm your photo before your application is handled. You may carry on.</source>
        <translation>工作人员将在办理前人工确认您的照片，您可以继续。</translation>
    </message>
    <message>
        <source>The center cannot be reached now, and business needs it. Please try again later or ask staff for help.</source>
        <translation>现在无法连接中心，业务办理需要连接中心。请稍后再试，或按“帮助”找工作人员。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Still needed: %1</source>
        <translation>还需要：%1</translation>
    </message>
    <message>
        <source>I promise to bring the documents marked promised within 30 days (commitment letter).</source>
        <translation>本人承诺在30日内补交标为“承诺补交”的材料（承诺书）。</translation>
    </message>
    <message>
        <source>I confirm the above is true and apply for this business.</source>
        <translation>本人确认以上信息真实，申请办理此项业务。</translation>
    </message>
    <message>
        <source>Please sign in the box first.</source>
        <translation>请先在框内签名。</translation>
    </message>
    <message>
        <source>Submitting your application…</source>
        <translation>正在提交申请……</translation>
    </message>
    <message>
        <source>Your application could not be submitted: %1</source>
        <translation>申请未能提交：%1</translation>
    </message>
    <message>
        <source>Looking up your application…</source>
        <translation>正在查询您的申请……</translation>
    </message>
    <message>
        <source>Looking up your applications…</source>
        <translation>正在查询您的申请……</translation>
    </message>
    <message>
        <source>No application was found for this ID card.</source>
        <translation>没有找到这张身份证名下的申请。</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>Sending your documents…</source>
        <translation>正在提交您的材料……</translation>
    </message>
    <message>
        <source>Sent with your application: staff will look at it. Thank you.</source>
        <translation>已随您的申请提交，工作人员将进行审核。谢谢。</translation>
    </message>
    <message>
        <source>Your documents could not be sent: %1</source>
        <translation>您的材料未能提交：%1</translation>
    </message>
    <message>
        <source>Made here and kept safely: it is sent when the link to the center is back.</source>
        <translation>已在本机提交并安全保存，与中心的连接恢复后自动发送。</translation>
    </message>
    <message>
        <source>Time limit: day %1 of %2 working days, due %3</source>
        <translation>办理时限：第 %1 天，共 %2 个工作日，%3 前完成</translation>
    </message>
    <message>
        <source>Staff ask for: %1. Bring it to any station or the hall.</source>
        <translation>工作人员请您补充：%1。可到任一营业基站或营业厅补交。</translation>
    </message>
    <message>
        <source>Why it was not approved: %1</source>
        <translation>未通过原因：%1</translation>
    </message>
    <message>
        <source>You may apply again from the business menu.</source>
        <translation>您可以在业务办理菜单中重新申请。</translation>
    </message>
    <message>
        <source>Site visit: %1</source>
        <translation>现场勘查时间：%1</translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>Renew it now: choose it again in the business menu.</source>
        <translation>请及时续期：在业务办理菜单中再次选择此业务。</translation>
    </message>
    <message>
        <source>That is not an application number. Please check your slip.</source>
        <translation>这不是有效的申请编号，请核对回执。</translation>
    </message>
    <message>
        <source>No application has this number.</source>
        <translation>没有这个编号的申请。</translation>
    </message>
    <message>
        <source>The center cannot be reached now. Please try again later.</source>
        <translation>现在无法连接中心，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>BusinessFormScreen</name>
    <message>
        <source>Account:</source>
        <translation>户号：</translation>
    </message>
    <message>
        <source>Next: documents</source>
        <translation>下一步：材料</translation>
    </message>
</context>
<context>
    <name>BusinessMenuScreen</name>
    <message>
        <source>Business with your ID card</source>
        <translation>刷身份证办业务</translation>
    </message>
    <message>
        <source>No forms to fill: the kiosk fills them from your ID card. Pick a business.</source>
        <translation>免填单：本机根据身份证自动填写。请选择要办理的业务。</translation>
    </message>
    <message>
        <source>Follow an application: its number, the QR on its slip, or your ID card</source>
        <translation>查询办理进度：输入申请编号、扫回执二维码或刷身份证</translation>
    </message>
</context>
<context>
    <name>BusinessStartScreen</name>
    <message>
        <source>What it needs:</source>
        <translation>需要准备：</translation>
    </message>
    <message>
        <source>What it costs:</source>
        <translation>费用：</translation>
    </message>
    <message>
        <source>Place your ID card on the reader to begin.</source>
        <translation>请把身份证放在读卡区开始办理。</translation>
    </message>
    <message>
        <source>My card is on the reader: read it</source>
        <translation>身份证已放在读卡区，点此读取</translation>
    </message>
</context>
<context>
    <name>CallBackFlow</name>
    <message>
        <source>That is not a phone number. Please type a mobile number of 11 digits, or a landline number with its area code.</source>
        <translation>这不是电话号码。请输入 11 位手机号码，或带区号的固定电话号码。</translation>
    </message>
    <message>
        <source>Sending your request…</source>
        <translation>正在提交您的请求…</translation>
    </message>
    <message>
        <source>Your request could not be recorded. Please call the service hotline shown on the Help screen.</source>
        <translation>未能记录您的请求。请拨打“帮助”页面上的服务热线。</translation>
    </message>
</context>
<context>
    <name>CallBackScreen</name>
    <message>
        <source>Ask to be called back</source>
        <translation>请工作人员给我回电</translation>
    </message>
    <message>
        <source>Type your phone number and press Confirm. Staff of the service center will call you back, in service hours.</source>
        <translation>请输入您的电话号码，然后按“确认”。服务中心工作人员将在服务时间内给您回电。</translation>
    </message>
    <message>
        <source>Thank you. Staff will call you back at this number, in service hours.</source>
        <translation>谢谢。工作人员将在服务时间内拨打此号码给您回电。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>CallBar</name>
    <message>
        <source>On a video call</source>
        <translation>视频通话中</translation>
    </message>
    <message>
        <source>Back to the call</source>
        <translation>回到通话</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
</context>
<context>
    <name>CountdownBanner</name>
    <message>
        <source>Are you still there? In {0} seconds this session ends and everything shown is cleared.</source>
        <translation>您还在吗？{0} 秒后将结束本次服务，并清除屏幕上的全部信息。</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>继续使用</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Receipt printer</source>
        <translation>凭条打印机</translation>
    </message>
    <message>
        <source>Code scanner</source>
        <translation>扫码器</translation>
    </message>
    <message>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Receipt roll: about %1 % left (%2 m), estimated from what was printed</source>
        <translation>凭条纸卷：估计剩余约 %1 %（%2 米），按已打印量推算</translation>
    </message>
    <message>
        <source>Printing a test page…</source>
        <translation>正在打印测试页……</translation>
    </message>
    <message>
        <source>Show a code to the scanner (20 s)…</source>
        <translation>请在 20 秒内向扫码器出示一个码……</translation>
    </message>
    <message>
        <source>Place an ID card on the reader (20 s)…</source>
        <translation>请在 20 秒内将身份证放到阅读器上……</translation>
    </message>
    <message>
        <source>Looking at the camera&apos;s pictures…</source>
        <translation>正在查看摄像头画面……</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试……</translation>
    </message>
    <message>
        <source>%1: test passed</source>
        <translation>%1：测试通过</translation>
    </message>
    <message>
        <source>%1: test failed</source>
        <translation>%1：测试未通过</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>New roll fitted</source>
        <translation>已换新纸卷</translation>
    </message>
    <message>
        <source>working</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>needs attention</source>
        <translation>需要处理</translation>
    </message>
    <message>
        <source>FAULT</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>尚未知</translation>
    </message>
</context>
<context>
    <name>DocumentCaptureScreen</name>
    <message>
        <source>Photograph: %1</source>
        <translation>拍照：%1</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在打开摄像头……</translation>
    </message>
    <message>
        <source>Page found. Hold still and take the picture.</source>
        <translation>已找到材料，请保持不动，点击拍照。</translation>
    </message>
    <message>
        <source>Is the page clear and whole? Use it, or take it again.</source>
        <translation>材料是否清晰完整？可以使用，或重新拍摄。</translation>
    </message>
    <message>
        <source>Lay the page flat on the dark mat under the camera, inside the frame.</source>
        <translation>请把材料平放在摄像头下方的深色垫板上，放在框内。</translation>
    </message>
    <message>
        <source>Take the picture</source>
        <translation>拍照</translation>
    </message>
    <message>
        <source>Use this picture</source>
        <translation>使用这张照片</translation>
    </message>
    <message>
        <source>Take it again</source>
        <translation>重新拍摄</translation>
    </message>
    <message>
        <source>No page found. Lay the page flat inside the frame, on the dark mat.</source>
        <translation>没有找到材料。请把材料平放在深色垫板上的框内。</translation>
    </message>
    <message>
        <source>The picture is blurred. Hold still and try again.</source>
        <translation>照片模糊，请保持不动后重拍。</translation>
    </message>
    <message>
        <source>Too dark. Move the page into the light.</source>
        <translation>光线太暗，请把材料移到亮处。</translation>
    </message>
    <message>
        <source>Too much glare. Tilt the page away from the light.</source>
        <translation>反光太强，请稍微倾斜材料避开光源。</translation>
    </message>
</context>
<context>
    <name>FaceCheck</name>
    <message>
        <source>The check was not finished in time. Please try again.</source>
        <translation>核验未在规定时间内完成，请再试一次。</translation>
    </message>
    <message>
        <source>The center cannot be reached now, and the check needs it. Please try again later or ask staff for help.</source>
        <translation>现在无法连接服务中心，核验需要联网。请稍后再试，或请工作人员帮助。</translation>
    </message>
    <message>
        <source>No face could be seen on the photo. Please face the camera.</source>
        <translation>照片中看不到人脸，请正对摄像头。</translation>
    </message>
    <message>
        <source>The identity service has no record of this ID card. Please ask staff.</source>
        <translation>身份核验服务没有这张身份证的记录，请联系工作人员。</translation>
    </message>
    <message>
        <source>This ID card has expired. Business needs a valid card.</source>
        <translation>这张身份证已过有效期，办理业务需要有效身份证。</translation>
    </message>
    <message>
        <source>This ID card is not valid yet.</source>
        <translation>这张身份证尚未生效。</translation>
    </message>
    <message>
        <source>Staff could not confirm that the photo is you.</source>
        <translation>工作人员未能确认照片是您本人。</translation>
    </message>
    <message>
        <source>The photo did not match your ID card.</source>
        <translation>照片与您的身份证不一致。</translation>
    </message>
</context>
<context>
    <name>FaceCheckScreen</name>
    <message>
        <source>Look at the camera.</source>
        <translation>请看摄像头。</translation>
    </message>
    <message>
        <source>Now close your eyes for a moment…</source>
        <translation>现在请闭上眼睛片刻……</translation>
    </message>
    <message>
        <source>…and open them again.</source>
        <translation>……然后睁开眼睛。</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>谢谢。</translation>
    </message>
    <message>
        <source>Look at the camera, with your face inside the oval.</source>
        <translation>请看摄像头，让脸部位于椭圆框内。</translation>
    </message>
    <message>
        <source>Only one person in front of the camera, please.</source>
        <translation>摄像头前请只留一人。</translation>
    </message>
    <message>
        <source>Move so that your face is in the middle of the oval.</source>
        <translation>请移动一下，让脸部位于椭圆框中间。</translation>
    </message>
    <message>
        <source>Come a little closer to the camera.</source>
        <translation>请离摄像头近一点。</translation>
    </message>
    <message>
        <source>Move back a little from the camera.</source>
        <translation>请离摄像头远一点。</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在打开摄像头……</translation>
    </message>
    <message>
        <source>Checking your photo with your ID card…</source>
        <translation>正在将您的照片与身份证比对……</translation>
    </message>
    <message>
        <source>Check that it is you</source>
        <translation>核验本人身份</translation>
    </message>
    <message>
        <source>The camera takes a photo of your face, and the identity service compares it with your ID card. The photo is deleted once the check is decided.</source>
        <translation>摄像头将拍摄您的面部照片，由身份核验服务与您的身份证比对。核验完成后照片即删除。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再试一次</translation>
    </message>
</context>
<context>
    <name>FollowScreen</name>
    <message>
        <source>Follow an application</source>
        <translation>查询办理进度</translation>
    </message>
    <message>
        <source>Type the number on your slip, show the slip&apos;s QR code to the scanner, or place your ID card on the reader.</source>
        <translation>请输入回执上的申请编号，或把回执二维码对准扫码口，或把身份证放在读卡区。</translation>
    </message>
    <message>
        <source>Look it up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Apply again, with what was missing</source>
        <translation>补齐材料，重新申请</translation>
    </message>
    <message>
        <source>Photograph what staff asked for, here and now</source>
        <translation>现在拍摄工作人员要求补充的材料</translation>
    </message>
</context>
<context>
    <name>GuidesScreen</name>
    <message>
        <source>Business guides</source>
        <translation>业务办理指南</translation>
    </message>
    <message>
        <source>What to bring:</source>
        <translation>需要带的材料：</translation>
    </message>
    <message>
        <source>How long it takes:</source>
        <translation>办理时限：</translation>
    </message>
    <message>
        <source>Where:</source>
        <translation>在哪里办：</translation>
    </message>
    <message>
        <source>What it costs:</source>
        <translation>费用：</translation>
    </message>
</context>
<context>
    <name>HelpScreen</name>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>This station has no staff on site. A person can help you by phone, or at the service hall.</source>
        <translation>本基站无人值守。您可以拨打电话或前往营业厅，由工作人员为您办理。</translation>
    </message>
    <message>
        <source>Call the service hotline (free, 24 hours):</source>
        <translation>拨打客服热线（免费，24 小时）：</translation>
    </message>
    <message>
        <source>Nearest staffed service hall:</source>
        <translation>最近的有人值守营业厅：</translation>
    </message>
    <message>
        <source>Opening hours:</source>
        <translation>营业时间：</translation>
    </message>
    <message>
        <source>Or talk to staff of the service center face to face, here: they see you and this screen, and can help you through it. Nothing of the call is recorded.</source>
        <translation>也可以在这里与服务中心工作人员视频面对面交谈：工作人员能看到您和这块屏幕，可一步步帮您办理。通话不录音、不录像。</translation>
    </message>
    <message>
        <source>Talk to staff by video</source>
        <translation>视频连线工作人员</translation>
    </message>
    <message>
        <source>Ask to be called back</source>
        <translation>请工作人员给我回电</translation>
    </message>
</context>
<context>
    <name>HistoryFlow</name>
    <message>
        <source>Finding the account&apos;s payments…</source>
        <translation>正在查找该户号的缴费记录……</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印……</translation>
    </message>
    <message>
        <source>Printing the statement…</source>
        <translation>正在打印对账单……</translation>
    </message>
    <message>
        <source>Printed: please take it from the slot below.</source>
        <translation>已打印，请从下方出纸口取走。</translation>
    </message>
    <message>
        <source>It could not be printed. The e-invoice QR works without paper.</source>
        <translation>未能打印。电子发票二维码无需纸张也可使用。</translation>
    </message>
    <message>
        <source>This needs the center, which cannot be reached now. Please try later.</source>
        <translation>此功能需要连接中心，现在无法连接，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>the printer is out of order</source>
        <translation>打印机故障</translation>
    </message>
    <message>
        <source>the ID card reader is out of order</source>
        <translation>身份证阅读器故障</translation>
    </message>
    <message>
        <source>the camera is out of order</source>
        <translation>摄像头故障</translation>
    </message>
    <message>
        <source>Business is not available now: %1.</source>
        <translation>业务办理暂不可用：%1。</translation>
    </message>
    <message>
        <source>Talking to staff by video is not available now: %1.</source>
        <translation>视频联系工作人员暂不可用：%1。</translation>
    </message>
    <message>
        <source>Reprinting receipts is not available now: %1.</source>
        <translation>补打凭条暂不可用：%1。</translation>
    </message>
    <message>
        <source>The printer is out of order: you can still pay, and your receipt is the e-invoice shown on the screen.</source>
        <translation>打印机故障：您仍可缴费，凭证为屏幕上显示的电子发票。</translation>
    </message>
    <message>
        <source>The code scanner is out of order: pay by scanning the QR code on the screen with your phone.</source>
        <translation>扫码器故障：请用手机扫描屏幕上的二维码缴费。</translation>
    </message>
    <message>
        <source>What would you like to do?</source>
        <translation>请选择您要办理的业务</translation>
    </message>
    <message>
        <source>Bills and usage</source>
        <translation>账单与用量</translation>
    </message>
    <message>
        <source>Look up what you owe and your monthly usage</source>
        <translation>查询欠费、账单和每月用量</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业务办理</translation>
    </message>
    <message>
        <source>Apply with your ID card, no forms: change of holder, quota, faults…</source>
        <translation>刷身份证、免填单：更名过户、一户多人口、故障报修等</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>信息查询</translation>
    </message>
    <message>
        <source>Prices, saving energy, our commitments, business guides</source>
        <translation>电价政策、节约用电、服务承诺、业务指南</translation>
    </message>
    <message>
        <source>Reprint a receipt</source>
        <translation>补打缴费凭证</translation>
    </message>
    <message>
        <source>Receipts of payments made at this kiosk, printed again</source>
        <translation>补打在本机缴费的凭证</translation>
    </message>
    <message>
        <source>Help / talk to staff</source>
        <translation>帮助 / 联系工作人员</translation>
    </message>
    <message>
        <source>The hotline and the nearest staffed service hall</source>
        <translation>客服热线和最近的有人值守营业厅</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>This kiosk cannot serve you right now. Please go to %1 (%2), or call %3.</source>
        <translation>本机暂时无法为您服务。请前往%1（%2），或拨打 %3。</translation>
    </message>
    <message>
        <source>Self-service for electricity, water and gas, 24 hours a day</source>
        <translation>水、电、气自助服务，24 小时营业</translation>
    </message>
    <message>
        <source>Notices</source>
        <translation>通知公告</translation>
    </message>
    <message>
        <source>Touch anywhere to start</source>
        <translation>轻触屏幕任意位置开始</translation>
    </message>
</context>
<context>
    <name>InfoMenuScreen</name>
    <message>
        <source>Information</source>
        <translation>信息查询</translation>
    </message>
    <message>
        <source>Electricity prices</source>
        <translation>电价政策</translation>
    </message>
    <message>
        <source>The price tiers, and what a year of use costs</source>
        <translation>阶梯电价说明，算一算全年电费</translation>
    </message>
    <message>
        <source>Saving energy</source>
        <translation>节约用电</translation>
    </message>
    <message>
        <source>Simple ways to use less electricity</source>
        <translation>简单易行的省电方法</translation>
    </message>
    <message>
        <source>Our service commitments</source>
        <translation>服务承诺</translation>
    </message>
    <message>
        <source>How fast we connect, repair and answer</source>
        <translation>接电、抢修、答复有多快</translation>
    </message>
    <message>
        <source>Business guides</source>
        <translation>业务办理指南</translation>
    </message>
    <message>
        <source>What to bring and how long each business takes</source>
        <translation>每项业务带什么材料、多久办好</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>Nothing at this level.</source>
        <translation>此级别下没有记录。</translation>
    </message>
    <message>
        <source>Copying the log and the audit trail to the USB stick…</source>
        <translation>正在将日志和审计记录复制到U盘……</translation>
    </message>
    <message>
        <source>Not exported: %1. Plug in a USB stick and try again.</source>
        <translation>未能导出：%1。请插入U盘后重试。</translation>
    </message>
    <message>
        <source>Exported %1 files to %2. The stick may be taken out.</source>
        <translation>已导出 %1 个文件到 %2。现在可以拔出U盘。</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Export the log to a USB stick</source>
        <translation>导出日志到U盘</translation>
    </message>
</context>
<context>
    <name>LookupFlow</name>
    <message>
        <source>Looking up your account…</source>
        <translation>正在查询您的账户，请稍候…</translation>
    </message>
    <message>
        <source>Reading the code…</source>
        <translation>正在识别二维码…</translation>
    </message>
    <message>
        <source>Finding the accounts of this ID card…</source>
        <translation>正在查找该身份证名下的户号…</translation>
    </message>
    <message>
        <source>Reading your ID card… Please leave it on the reader.</source>
        <translation>正在读取身份证…请不要拿开。</translation>
    </message>
    <message>
        <source>Please place your ID card on the card reader.</source>
        <translation>请把身份证放在读卡区。</translation>
    </message>
    <message>
        <source>That code is not one of our bills. Please show the QR code printed on your bill.</source>
        <translation>该二维码不是本公司的账单码，请出示账单上印的二维码。</translation>
    </message>
    <message>
        <source>That is a payment code: it is used after your bill is found. First find your account: type its number here, show the QR code on your paper bill, or place your ID card on the card reader. Then you can pay.</source>
        <translation>这是付款码，找到账单后才会用到。请先找到您的户号：在这里输入户号，或出示纸质账单上的二维码，或把身份证放在读卡器上。然后再缴费。</translation>
    </message>
    <message>
        <source>Your ID card could not be read. Please lift it off the reader and place it flat again. If it still cannot be read, type your account number or press Help.</source>
        <translation>未能读取您的身份证。请把身份证从读卡区拿起，再平放上去。如仍无法读取，请输入户号，或按“帮助”找工作人员。</translation>
    </message>
    <message>
        <source>This ID card could not be read. Please type your account number instead, or press Help to reach a person.</source>
        <translation>这张身份证无法读取。请改为输入户号，或按“帮助”找工作人员。</translation>
    </message>
    <message>
        <source>The service center did not answer in time. Please try again in a moment.</source>
        <translation>服务中心响应超时，请稍后再试。</translation>
    </message>
    <message>
        <source>Something went wrong. Please try again, or call the hotline.</source>
        <translation>出现问题，请重试，或拨打客服热线。</translation>
    </message>
    <message>
        <source>No account has this number. Please check the number on your bill.</source>
        <translation>没有找到该户号，请对照账单核对。</translation>
    </message>
    <message>
        <source>This number is not valid. Please check it and try again.</source>
        <translation>号码格式不正确，请核对后重试。</translation>
    </message>
    <message>
        <source>No account was found for this ID card. Please type your account number instead.</source>
        <translation>没有找到这张身份证名下的户号，请改为输入户号。</translation>
    </message>
    <message>
        <source>The service center cannot be reached right now. Please try again later, or call the hotline.</source>
        <translation>暂时无法连接服务中心，请稍后再试，或拨打客服热线。</translation>
    </message>
    <message>
        <source>The service center could not answer. Please try again later, or call the hotline.</source>
        <translation>服务中心暂时无法处理，请稍后再试，或拨打客服热线。</translation>
    </message>
</context>
<context>
    <name>MaintenanceMode</name>
    <message>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <source>Leave maintenance</source>
        <translation>退出维护</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Queue and sync</source>
        <translation>队列与同步</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>缴费与凭条</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务状态</translation>
    </message>
    <message>
        <source>entered with technician card %1</source>
        <translation>使用维护人员证件 %1 进入</translation>
    </message>
    <message>
        <source>entered with the technician PIN</source>
        <translation>使用维护密码进入</translation>
    </message>
    <message>
        <source>Following %1 payment(s) now.</source>
        <translation>正在跟进 %1 笔缴费。</translation>
    </message>
    <message>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <source>Not printed: look at the printer.</source>
        <translation>未能打印：请检查打印机。</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>操作未成功：%1</translation>
    </message>
</context>
<context>
    <name>OfflineNotice</name>
    <message>
        <source>The service center cannot be reached right now. You can still read the information pages (prices, guides, advice), reprint a receipt of a payment made here, and get help by phone. Looking up bills and paying by WeChat Pay or Alipay are not available right now.</source>
        <translation>暂时连不上服务中心。您仍可查看信息查询（电价、业务指南、省电常识），补打在本机缴费的凭证，也可拨打热线求助。查询账单和微信、支付宝缴费暂时无法使用。</translation>
    </message>
</context>
<context>
    <name>PastPaymentsScreen</name>
    <message>
        <source>E-invoice {0}: photograph this code to download it.</source>
        <translation>电子发票 {0}：拍下此二维码即可下载。</translation>
    </message>
    <message>
        <source>No payments in the last months.</source>
        <translation>近期没有缴费记录。</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打凭证</translation>
    </message>
    <message>
        <source>Show e-invoice</source>
        <translation>显示电子发票</translation>
    </message>
    <message>
        <source>VAT invoice asked for</source>
        <translation>已申请增值税发票</translation>
    </message>
    <message>
        <source>VAT invoice</source>
        <translation>开增值税发票</translation>
    </message>
    <message>
        <source>at a kiosk</source>
        <translation>自助终端</translation>
    </message>
    <message>
        <source>at a counter</source>
        <translation>营业厅柜台</translation>
    </message>
    <message>
        <source>in the app</source>
        <translation>手机应用</translation>
    </message>
    <message>
        <source>Receipts and invoices: your last 12 payments, made anywhere</source>
        <translation>票据与发票：您最近 12 笔缴费（各渠道）</translation>
    </message>
    <message>
        <source>Print statement (24 months)</source>
        <translation>打印对账单（24 个月）</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>PayByCodeScreen</name>
    <message>
        <source>Paying… please wait.</source>
        <translation>正在支付……请稍候。</translation>
    </message>
    <message>
        <source>Please confirm the payment on your phone (enter your payment password).</source>
        <translation>请在手机上确认付款（输入支付密码）。</translation>
    </message>
    <message>
        <source>Pay with your payment code</source>
        <translation>出示付款码支付</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Open WeChat or Alipay, show its payment code and hold it under the scanner.</source>
        <translation>打开微信或支付宝 → 付款码，对准扫码窗口。</translation>
    </message>
    <message>
        <source>The scanner window is below the screen (red light).</source>
        <translation>扫码窗口在屏幕下方（亮红灯处）。</translation>
    </message>
    <message>
        <source>Your payment is in progress. Please do not leave until you see the result.</source>
        <translation>正在支付，请不要离开，请等待支付结果。</translation>
    </message>
</context>
<context>
    <name>PayByQrScreen</name>
    <message>
        <source>Preparing your QR code…</source>
        <translation>正在生成二维码……</translation>
    </message>
    <message>
        <source>Closing the payment… please wait.</source>
        <translation>正在关闭本次支付……请稍候。</translation>
    </message>
    <message>
        <source>Checking your payment… please wait.</source>
        <translation>正在确认支付结果……请稍候。</translation>
    </message>
    <message>
        <source>This QR code closes in {0}:{1}.</source>
        <translation>二维码将在 {0}:{1} 后失效。</translation>
    </message>
    <message>
        <source>Scan this QR code with {0}</source>
        <translation>请用{0}扫描二维码</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Open {0}, touch Scan, point your phone at the QR code and confirm the payment.</source>
        <translation>打开{0}，点“扫一扫”，对准二维码，然后确认付款。</translation>
    </message>
    <message>
        <source>Cancel payment</source>
        <translation>取消支付</translation>
    </message>
</context>
<context>
    <name>PayMethodScreen</name>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Account holder</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>Months paid</source>
        <translation>缴费月份</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>电费</translation>
    </message>
    <message>
        <source>Late fee</source>
        <translation>违约金</translation>
    </message>
    <message>
        <source>WeChat Pay or Alipay: open the app&apos;s payment code.</source>
        <translation>微信支付或支付宝：打开应用里的付款码。</translation>
    </message>
    <message>
        <source>You pay</source>
        <translation>本次支付</translation>
    </message>
    <message>
        <source>Please check, then choose how to pay</source>
        <translation>请核对，然后选择支付方式</translation>
    </message>
    <message>
        <source>Nothing has been paid yet. To stop here, touch Back or Home.</source>
        <translation>现在还没有付款。如不缴费，请点“返回”或“首页”。</translation>
    </message>
    <message>
        <source>Show your payment code to the scanner</source>
        <translation>向扫码窗口出示付款码</translation>
    </message>
    <message>
        <source>Use my payment code</source>
        <translation>用付款码支付</translation>
    </message>
    <message>
        <source>Scan a QR code with your phone</source>
        <translation>用手机扫描二维码</translation>
    </message>
    <message>
        <source>The kiosk shows a QR code; scan it with this app:</source>
        <translation>本机显示二维码，请选择您用来扫码的应用：</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
</context>
<context>
    <name>PaymentRefusals</name>
    <message>
        <source>The kiosk could not start the payment in time. Please try again.</source>
        <translation>本机未能及时发起支付，请重试。</translation>
    </message>
    <message>
        <source>Something went wrong. Nothing was paid. Please try again.</source>
        <translation>出现问题，没有扣款。请重试。</translation>
    </message>
    <message>
        <source>That is not a payment code. Open WeChat or Alipay and show its payment code.</source>
        <translation>这不是付款码。请打开微信或支付宝 → 付款码，出示该码。</translation>
    </message>
    <message>
        <source>Nothing is owed on this account.</source>
        <translation>此户号没有欠费。</translation>
    </message>
    <message>
        <source>The smallest amount you can prepay here is {0}.</source>
        <translation>本机单笔预存最少 {0}。</translation>
    </message>
    <message>
        <source>The largest amount you can prepay here is {0}.</source>
        <translation>本机单笔预存最多 {0}。</translation>
    </message>
    <message>
        <source>Paying is not available right now. Please try again later.</source>
        <translation>暂时无法缴费，请稍后再试。</translation>
    </message>
    <message>
        <source>Another payment is still being completed. Please wait a moment.</source>
        <translation>另一笔支付仍在处理中，请稍候。</translation>
    </message>
</context>
<context>
    <name>PaymentResultScreen</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重新支付</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Payment successful</source>
        <translation>缴费成功</translation>
    </message>
    <message>
        <source>Thank you. Your payment has been received.</source>
        <translation>谢谢，您的缴费已收到。</translation>
    </message>
    <message>
        <source>Transaction number</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>缴费时间</translation>
    </message>
    <message>
        <source>The payment did not go through</source>
        <translation>支付没有成功</translation>
    </message>
    <message>
        <source>No money was taken.</source>
        <translation>没有扣款。</translation>
    </message>
    <message>
        <source>The payment was cancelled.</source>
        <translation>支付已取消。</translation>
    </message>
    <message>
        <source>The money taken has been returned to your wallet.</source>
        <translation>已扣的钱已退回您的账户。</translation>
    </message>
    <message>
        <source>We could not confirm your payment</source>
        <translation>暂时无法确认您的支付结果</translation>
    </message>
    <message>
        <source>E-invoice</source>
        <translation>电子发票</translation>
    </message>
    <message>
        <source>Your money is safe: if it was taken and the payment did not go through, it is returned automatically.</source>
        <translation>您的资金是安全的：如已扣款而缴费未成功，款项会自动退回。</translation>
    </message>
    <message>
        <source>Please take the slip: it has your reference number.</source>
        <translation>请取走凭条，上面有您的查询编号。</translation>
    </message>
    <message>
        <source>Please write down your reference number:</source>
        <translation>请记下您的查询编号：</translation>
    </message>
    <message>
        <source>Call {0} with this number.</source>
        <translation>请拨打 {0} 并提供此编号。</translation>
    </message>
    <message>
        <source>Checking your payment… please wait.</source>
        <translation>正在确认支付结果……请稍候。</translation>
    </message>
    <message>
        <source>Reference number</source>
        <translation>查询编号</translation>
    </message>
    <message>
        <source>Please take your receipt.</source>
        <translation>请取走您的缴费凭证。</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>正在打印缴费凭证……</translation>
    </message>
    <message>
        <source>The printer could not print your receipt. It is saved: you can reprint it here later (look up your account → Reprint).</source>
        <translation>打印机未能打印您的缴费凭证。凭证已保存：您以后可在本机补打（查询户号 → 补打缴费凭证）。</translation>
    </message>
    <message>
        <source>Or photograph this e-invoice QR code.</source>
        <translation>也可以拍下这个电子发票二维码。</translation>
    </message>
    <message>
        <source>There is not enough money in your wallet.</source>
        <translation>您的账户余额不足。</translation>
    </message>
    <message>
        <source>This payment code was used already. Refresh the code in your app and try again.</source>
        <translation>这个付款码已经用过。请在应用里刷新付款码后重试。</translation>
    </message>
    <message>
        <source>This payment code has expired. Refresh the code in your app and try again.</source>
        <translation>这个付款码已过期。请在应用里刷新付款码后重试。</translation>
    </message>
    <message>
        <source>The wallet did not accept this payment code. Refresh it and try again.</source>
        <translation>支付平台不接受这个付款码。请刷新后重试。</translation>
    </message>
    <message>
        <source>Your wallet refused the payment. Please check your wallet app, or pay another way.</source>
        <translation>支付平台拒绝了这笔付款。请检查您的支付应用，或换一种方式支付。</translation>
    </message>
    <message>
        <source>Your bill changed while you were paying. Please look up your account again.</source>
        <translation>您支付时账单发生了变化。请重新查询户号。</translation>
    </message>
    <message>
        <source>These bills have been paid already. Please look up your account again.</source>
        <translation>这些账单已经缴过了。请重新查询户号。</translation>
    </message>
    <message>
        <source>A payment for this bill is already under way, here or elsewhere (perhaps by a family member). Please wait a few minutes, then look up your account again to see whether it was paid.</source>
        <translation>这笔账单正在缴费中（可能在本机或别处，也可能是家人在缴）。请稍等几分钟，再重新查询户号，看是否已缴成功。</translation>
    </message>
    <message>
        <source>This amount cannot be paid here. Please look up your account and choose another amount.</source>
        <translation>此金额不能在这里缴纳。请重新查询户号并选择其他金额。</translation>
    </message>
    <message>
        <source>The kiosk restarted before your payment was sent.</source>
        <translation>付款发出前本机重新启动了。</translation>
    </message>
    <message>
        <source>The payment was stopped before it was sent.</source>
        <translation>付款在发出前已停止。</translation>
    </message>
    <message>
        <source>The wallet reported an error with this payment.</source>
        <translation>支付平台报告这笔付款出错。</translation>
    </message>
    <message>
        <source>The payment QR code could not be made: the payment service cannot be reached right now. Please pay with your payment code, or try again later.</source>
        <translation>无法生成支付二维码：暂时连接不上支付服务。请改用付款码支付，或稍后再试。</translation>
    </message>
    <message>
        <source>The payment could not be completed.</source>
        <translation>这笔付款未能完成。</translation>
    </message>
</context>
<context>
    <name>PaymentsPage</name>
    <message>
        <source>Payments and receipts</source>
        <translation>缴费与凭条</translation>
    </message>
    <message>
        <source>Every payment is settled and every receipt is on paper.</source>
        <translation>所有缴费均已完结，所有凭条均已打印。</translation>
    </message>
    <message>
        <source>Follow the unsettled payments now</source>
        <translation>立即跟进未完结的缴费</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>not settled yet (%1)</source>
        <translation>尚未完结（%1）</translation>
    </message>
    <message>
        <source>paid; the receipt waits to be printed again</source>
        <translation>已缴费；凭条等待重新打印</translation>
    </message>
    <message>
        <source>paid; the receipt is being printed</source>
        <translation>已缴费；凭条正在打印</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <source>Checking…</source>
        <translation>正在核对……</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left before entry is locked: %1</source>
        <translation>密码错误。再错 %1 次将锁定进入。</translation>
    </message>
    <message>
        <source>This is not a technician&apos;s card. Tries left before entry is locked: %1</source>
        <translation>这不是维护人员的证件。再错 %1 次将锁定进入。</translation>
    </message>
    <message>
        <source>Too many wrong attempts: entry is locked until %1.</source>
        <translation>错误次数过多，进入已锁定至 %1。</translation>
    </message>
    <message>
        <source>No technician PIN is set on this kiosk: place a technician&apos;s card.</source>
        <translation>本机未设置维护密码，请放置维护人员身份证。</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <source>Type the technician PIN, or place a technician&apos;s ID card on the reader.</source>
        <translation>请输入维护密码，或将维护人员身份证放到阅读器上。</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>返回自助服务</translation>
    </message>
</context>
<context>
    <name>PrepayAmountScreen</name>
    <message>
        <source>Please type how many yuan you want to pay.</source>
        <translation>请输入要预存的金额（元）。</translation>
    </message>
    <message>
        <source>How much do you want to prepay?</source>
        <translation>您要预存多少电费？</translation>
    </message>
    <message>
        <source>You can pay from {0} to {1} at a time, in yuan (use . for jiao and fen).</source>
        <translation>单笔可预存 {0} 至 {1}，单位为元（角、分请用小数点）。</translation>
    </message>
</context>
<context>
    <name>PricesScreen</name>
    <message>
        <source>Tier {0}: {1} {2} × {3}</source>
        <translation>第{0}档：{1} {2} × {3}</translation>
    </message>
    <message>
        <source>Total for the year</source>
        <translation>全年合计</translation>
    </message>
    <message>
        <source>About a month</source>
        <translation>平均每月约</translation>
    </message>
    <message>
        <source>{0} {1} a year costs:</source>
        <translation>全年用电 {0} {1}，电费为：</translation>
    </message>
    <message>
        <source>What does a year cost? Type your yearly kWh, then Confirm.</source>
        <translation>算一算全年电费：输入全年用电量（千瓦时），再按“确认”。</translation>
    </message>
    <message>
        <source>{0} to {1} {2} a year</source>
        <translation>全年 {0} 至 {1} {2}</translation>
    </message>
    <message>
        <source>over {0} {1} a year</source>
        <translation>全年超过 {0} {1}</translation>
    </message>
    <message>
        <source>Tier {0}</source>
        <translation>第 {0} 档</translation>
    </message>
    <message>
        <source>Electricity prices</source>
        <translation>电价政策</translation>
    </message>
    <message>
        <source>Price per kWh</source>
        <translation>每千瓦时电价</translation>
    </message>
    <message>
        <source>Prices are not available on this kiosk right now.</source>
        <translation>本机暂时无法显示电价。</translation>
    </message>
</context>
<context>
    <name>PrinterNotice</name>
    <message>
        <source>If you pay now, no paper receipt comes out. Your payment is still recorded: after paying you can photograph the e-invoice QR code on the screen, and reprint the receipt at this kiosk later.</source>
        <translation>现在缴费，不会打印出纸质缴费凭证。缴费照样有效、有记录：缴费后可以拍下屏幕上的电子发票二维码，以后也可以在本机补打缴费凭证。</translation>
    </message>
    <message>
        <source>Pay without a paper receipt?</source>
        <translation>不要纸质凭证，继续缴费吗？</translation>
    </message>
    <message>
        <source>Yes, pay without a receipt</source>
        <translation>是，不打凭证继续缴费</translation>
    </message>
    <message>
        <source>No, do not pay now</source>
        <translation>否，现在不缴费</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>凭证打印机缺纸。</translation>
    </message>
    <message>
        <source>The receipt printer&apos;s cover is open.</source>
        <translation>凭证打印机的盖子开着。</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>凭证打印机暂时不能使用。</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Asked: the queue, the heartbeat and the reference data are sent now.</source>
        <translation>已请求：正在立即发送队列、心跳和参考数据。</translation>
    </message>
    <message>
        <source>Queue and sync</source>
        <translation>队列与同步</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Events waiting to be sent</source>
        <translation>待发送事件</translation>
    </message>
    <message>
        <source>Set aside (refused too often)</source>
        <translation>已搁置（多次被拒）</translation>
    </message>
    <message>
        <source>Oldest unsent</source>
        <translation>最早未发送</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>上次送达</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Failures in a row</source>
        <translation>连续失败次数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>How was our service today? One touch is enough.</source>
        <translation>您对今天的服务满意吗？点一下即可。</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
</context>
<context>
    <name>ReceiptsScreen</name>
    <message>
        <source>Reference {0} — touch to print</source>
        <translation>编号 {0} — 点此打印</translation>
    </message>
    <message>
        <source>Reprint a receipt</source>
        <translation>补打缴费凭证</translation>
    </message>
    <message>
        <source>Receipts of payments made at this kiosk for your account.</source>
        <translation>您的户号在本机缴费的凭证。</translation>
    </message>
</context>
<context>
    <name>ReprintFlow</name>
    <message>
        <source>Looking for your receipts…</source>
        <translation>正在查找您的缴费凭证…</translation>
    </message>
    <message>
        <source>This kiosk has no receipt for account {0}. Receipts of payments made elsewhere are kept at the service hall.</source>
        <translation>本机没有户号 {0} 的缴费凭证。在其他地方缴费的凭证，请到营业厅补打。</translation>
    </message>
    <message>
        <source>Something went wrong. Please try again.</source>
        <translation>出了点问题，请再试一次。</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>正在打印缴费凭证……</translation>
    </message>
    <message>
        <source>Please take your receipt.</source>
        <translation>请取走您的缴费凭证。</translation>
    </message>
    <message>
        <source>The printer could not print your receipt. It is kept: please try again later, or ask at the service hall.</source>
        <translation>打印机未能打印您的凭证。凭证已保存：请稍后再试，或到营业厅咨询。</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Service</source>
        <translation>服务状态</translation>
    </message>
    <message>
        <source>What residents read while the kiosk is out of service:</source>
        <translation>暂停服务期间居民看到的提示：</translation>
    </message>
    <message>
        <source>Put out of service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>正在服务</translation>
    </message>
    <message>
        <source>Out of service: %1</source>
        <translation>暂停服务：%1</translation>
    </message>
    <message>
        <source>Touch again to confirm</source>
        <translation>再按一次确认</translation>
    </message>
    <message>
        <source>Restart the kiosk app</source>
        <translation>重启自助服务程序</translation>
    </message>
    <message>
        <source>Leave to the desktop</source>
        <translation>退出到桌面</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saved: the kiosk uses them from its next start.</source>
        <translation>已保存：本机下次启动时生效。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Changes are checked when saved, and used from the kiosk&apos;s next start.</source>
        <translation>修改在保存时校验，下次启动时生效。</translation>
    </message>
    <message>
        <source>Save the changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Restart to apply</source>
        <translation>重启以生效</translation>
    </message>
</context>
<context>
    <name>SignScreen</name>
    <message>
        <source>Read your application, then sign it</source>
        <translation>请核对申请内容，然后签名</translation>
    </message>
    <message>
        <source>Sign here with your finger:</source>
        <translation>请用手指在此签名：</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>重签</translation>
    </message>
    <message>
        <source>Sign and submit</source>
        <translation>签名并提交</translation>
    </message>
</context>
<context>
    <name>TakeCardScreen</name>
    <message>
        <source>Please take your ID card</source>
        <translation>请取走您的身份证</translation>
    </message>
    <message>
        <source>Your ID card is still on the card reader.</source>
        <translation>您的身份证还在读卡区。</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Normal text</source>
        <translation>标准字体</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>大字模式</translation>
    </message>
</context>
<context>
    <name>VatFormScreen</name>
    <message>
        <source>Finding the company…</source>
        <translation>正在查找单位……</translation>
    </message>
    <message>
        <source>No company has this tax number. Please check it, or ask staff.</source>
        <translation>没有单位使用这个税号，请核对，或请工作人员帮助。</translation>
    </message>
    <message>
        <source>Filled in from the tax number.</source>
        <translation>根据税号自动填写。</translation>
    </message>
    <message>
        <source>Type the company&apos;s tax number: its name is filled in from it.</source>
        <translation>请输入单位税号，单位名称将自动填写。</translation>
    </message>
    <message>
        <source>A tax number has 18 characters (older ones 15, 17 or 20). Please count again.</source>
        <translation>纳税人识别号为 18 位（旧号码为 15、17 或 20 位），请核对位数。</translation>
    </message>
    <message>
        <source>A tax number has digits and capital letters, never I, O, Z, S or V.</source>
        <translation>纳税人识别号由数字和大写字母组成，不含 I、O、Z、S、V。</translation>
    </message>
    <message>
        <source>This tax number has a typing mistake somewhere. Please compare it with the company&apos;s licence.</source>
        <translation>纳税人识别号有输入错误，请对照营业执照核对。</translation>
    </message>
    <message>
        <source>This station cannot hand out invoices: choose e-mail.</source>
        <translation>本营业厅无法领取发票，请选择电子邮件。</translation>
    </message>
    <message>
        <source>Please check the e-mail address.</source>
        <translation>请核对电子邮箱地址。</translation>
    </message>
    <message>
        <source>Please enter a mobile number for the SMS.</source>
        <translation>请填写接收短信的手机号码。</translation>
    </message>
    <message>
        <source>Asked for: {0}. We will send you an SMS when it is ready.</source>
        <translation>已申请：{0}。开具后将短信通知您。</translation>
    </message>
    <message>
        <source>VAT invoice for this payment</source>
        <translation>为此笔缴费开具增值税发票</translation>
    </message>
    <message>
        <source>Company name (invoice title)</source>
        <translation>单位名称（发票抬头）</translation>
    </message>
    <message>
        <source>Tax number (unified social credit code)</source>
        <translation>纳税人识别号（统一社会信用代码）</translation>
    </message>
    <message>
        <source>E-mail (if sent by e-mail)</source>
        <translation>电子邮箱（选择邮件接收时填写）</translation>
    </message>
    <message>
        <source>Mobile number: we send an SMS when it is ready</source>
        <translation>手机号码：发票开具后短信通知</translation>
    </message>
    <message>
        <source>Pick it up at this station</source>
        <translation>到本营业厅领取</translation>
    </message>
    <message>
        <source>Send it by e-mail</source>
        <translation>发送到电子邮箱</translation>
    </message>
    <message>
        <source>Ask for the invoice</source>
        <translation>申请开票</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>VideoCallScreen</name>
    <message>
        <source>Talk to staff by video</source>
        <translation>视频连线工作人员</translation>
    </message>
    <message>
        <source>You</source>
        <translation>您</translation>
    </message>
    <message>
        <source>Call the service hotline (free, 24 hours):</source>
        <translation>拨打客服热线（免费，24 小时）：</translation>
    </message>
    <message>
        <source>Ask to be called back</source>
        <translation>请工作人员给我回电</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back to Help</source>
        <translation>返回帮助</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <source>Calling the service center…</source>
        <translation>正在呼叫服务中心…</translation>
    </message>
    <message>
        <source>You are next in line.</source>
        <translation>下一位就是您。</translation>
    </message>
    <message numerus="yes">
        <source>You are number %n in line.</source>
        <translation>
            <numerusform>您排在第 %n 位。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Staff will answer in about %n minute(s).</source>
        <translation>
            <numerusform>预计约 %n 分钟后接通。</numerusform>
        </translation>
    </message>
    <message>
        <source>Video help is closed now.</source>
        <translation>视频服务现在不在服务时间。</translation>
    </message>
    <message>
        <source>Staff answer video calls %1. You can call the hotline, or ask to be called back.</source>
        <translation>视频服务时间：%1。您可以拨打服务热线，或登记回电。</translation>
    </message>
    <message>
        <source>in service hours</source>
        <translation>服务时间内</translation>
    </message>
    <message>
        <source>The service center cannot be reached now.</source>
        <translation>暂时无法连接服务中心。</translation>
    </message>
    <message>
        <source>Please call the hotline, or ask to be called back.</source>
        <translation>请拨打服务热线，或登记回电。</translation>
    </message>
    <message>
        <source>Connecting you to %1…</source>
        <translation>正在为您接通%1…</translation>
    </message>
    <message>
        <source>You are talking to %1.</source>
        <translation>正在与%1通话。</translation>
    </message>
    <message>
        <source>The connection is weak. Reconnecting…</source>
        <translation>网络不稳定，正在重新连接…</translation>
    </message>
    <message>
        <source>The call has ended.</source>
        <translation>通话已结束。</translation>
    </message>
    <message>
        <source>Staff ended the call. Thank you.</source>
        <translation>工作人员已结束通话，谢谢。</translation>
    </message>
    <message>
        <source>The connection was lost. Please try again, or call the hotline.</source>
        <translation>连接已断开。请重试，或拨打服务热线。</translation>
    </message>
    <message>
        <source>Nobody could answer in time. Please try again later, or ask to be called back.</source>
        <translation>暂时无人接听。请稍后再试，或登记回电。</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>谢谢。</translation>
    </message>
</context>
<context>
    <name>Wallet</name>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>UnionPay</source>
        <translation>云闪付</translation>
    </message>
</context>
<context>
    <name>window.flow</name>
    <message>
        <source>Looking up your account…</source>
        <translation>正在查询您的账户，请稍候…</translation>
    </message>
    <message>
        <source>The service center cannot be reached right now. Please try again later, or call the hotline.</source>
        <translation>暂时无法连接服务中心，请稍后再试，或拨打客服热线。</translation>
    </message>
</context>
<context>
    <name>window.reprints</name>
    <message>
        <source>Please take your receipt.</source>
        <translation>请取走您的缴费凭证。</translation>
    </message>
</context>
</TS>
