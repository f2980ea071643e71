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
      <source>Enter your account number</source>
      <translation>请输入户号</translation>
    </message>
    <message>
      <source>You can also show the QR code on your bill to the scanner, or place your ID card on the card reader.</source>
      <translation>也可以把账单上的二维码对准扫码口，或把身份证放在读卡区。</translation>
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
      <source>Address</source>
      <translation>用电地址</translation>
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
      <source>Usage in the last {0} months ({1})</source>
      <translation>近 {0} 个月用量（{1}）</translation>
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
      <source>Used</source>
      <translation>本期用量</translation>
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
      <source>Months not paid</source>
      <translation>未缴月份</translation>
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
      <source>Quantity</source>
      <translation>电量</translation>
    </message>
    <message>
      <source>Unit price</source>
      <translation>单价</translation>
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
      <source>Video calls with staff from this kiosk are coming soon.</source>
      <translation>本机与工作人员视频通话的功能即将开通。</translation>
    </message>
  </context>
  <context>
    <name>HomeScreen</name>
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
    <name>KioskWindow</name>
    <message>
      <source>Normal text</source>
      <translation>标准字体</translation>
    </message>
    <message>
      <source>Large text</source>
      <translation>大字模式</translation>
    </message>
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
      <source>That is a payment code. Paying here is not available yet. To see your bill, show the QR code printed on your paper bill.</source>
      <translation>这是付款码。本机暂不支持缴费。如需查询账单，请出示纸质账单上的二维码。</translation>
    </message>
    <message>
      <source>That code is not one of our bills. Please show the QR code printed on your bill.</source>
      <translation>该二维码不是本公司的账单码，请出示账单上印的二维码。</translation>
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
    <name>Utility</name>
    <message>
      <source>Electricity</source>
      <translation>电费</translation>
    </message>
    <message>
      <source>Water</source>
      <translation>水费</translation>
    </message>
    <message>
      <source>Gas</source>
      <translation>燃气费</translation>
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
</TS>
